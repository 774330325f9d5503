internal import TOMLKit

/// The tables of a TOML file that are not settings but lists of them: a study's `[grid]`, whose every key
/// holds an array of values (`seed = [0, 1, 2]`), and small tables of plain values (`[study]`).
public enum TOMLLists {
  /// The arrays of table `name` in `text`, keys sorted: `[grid] seed = [0, 1]` gives `("seed", [0, 1])`. A
  /// key in dotted form (`[grid] data.seed = [...]`, or a subtable `[grid.data]`) keeps its dots. A single value
  /// is a list of one. An empty table or a missing one gives no lists.
  public static func arrays(in text: String, table name: String, source: String) throws -> [(
    key: String, values: [ConfigValue]
  )] {
    guard let table = try document(text, source: source)[name]?.table else { return [] }
    var lists: [(key: String, values: [ConfigValue])] = []
    func visit(_ table: TOMLTable, prefix: String) throws {
      for key in table.keys.sorted() {
        guard let value = table[key] else { continue }
        let path = prefix.isEmpty ? key : "\(prefix).\(key)"
        if let inner = value.table {
          try visit(inner, prefix: path)
        } else if let array = value.array {
          guard !array.isEmpty else { throw SettingError("\(source): \(name).\(path) is an empty list") }
          lists.append(
            (path, try array.map { try SettingsTable<Void>.configValue($0, path: "\(name).\(path)", source: source) }))
        } else {
          lists.append((path, [try SettingsTable<Void>.configValue(value, path: "\(name).\(path)", source: source)]))
        }
      }
    }
    try visit(table, prefix: "")
    return lists
  }

  /// The plain values of table `name` in `text`, keys sorted; a missing table gives none.
  public static func values(in text: String, table name: String, source: String) throws -> [(
    key: String, value: ConfigValue
  )] {
    guard let table = try document(text, source: source)[name]?.table else { return [] }
    return try table.keys.sorted().compactMap { key in
      guard let value = table[key] else { return nil }
      return (key, try SettingsTable<Void>.configValue(value, path: "\(name).\(key)", source: source))
    }
  }

  private static func document(_ text: String, source: String) throws -> TOMLTable {
    do {
      return try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw SettingError(
        "\(source): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
    }
  }
}
