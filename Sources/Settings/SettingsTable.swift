import Presentation
internal import TOMLKit

/// The settings of a configuration type: the one list that the TOML reader and writer, the command-line
/// flags, their help and the validation all come from.
public struct SettingsTable<Root>: @unchecked Sendable {
  public let settings: [Setting<Root>]

  public init(_ settings: [Setting<Root>]) {
    self.settings = settings
  }

  /// The table of the settings `isIncluded` keeps, each under the flag `flag` gives it: how one command line
  /// carries two tables (`tailnas search --train --epochs 20 --train-epochs 50`).
  public func adapted(keeping isIncluded: (Setting<Root>) -> Bool, flag: (Setting<Root>) -> String) -> SettingsTable {
    SettingsTable(settings.filter(isIncluded).map { $0.withFlag(flag($0)) })
  }

  /// Splits `arguments` into those whose flag this table knows (with their values) and the rest, keeping
  /// their order; `--no-FLAG` counts for a yes/no setting.
  public func claim(_ arguments: [String]) -> (mine: [String], others: [String]) {
    var mine: [String] = []
    var others: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      var name = argument.hasPrefix("--") ? String(argument.dropFirst(2)) : ""
      let inline = name.contains("=")
      if inline { name = String(name[..<name.firstIndex(of: "=")!]) }
      let negated = name.hasPrefix("no-") && setting(flag: String(name.dropFirst(3)))?.valueName == "yes|no"
      guard let setting = setting(flag: negated ? String(name.dropFirst(3)) : name) else {
        others.append(argument)
        continue
      }
      mine.append(argument)
      let isBoolean = setting.valueName == "yes|no"
      if !inline, !negated, index < arguments.count,
        !isBoolean || !arguments[index].hasPrefix("--")
      {
        mine.append(arguments[index])
        index += 1
      }
    }
    return (mine, others)
  }

  /// The setting with flag `--flag`.
  public func setting(flag: String) -> Setting<Root>? { settings.first { $0.flag == flag && !$0.isFileOnly } }

  /// The setting at `section.key` (or `key` at the top level).
  public func setting(path: String) -> Setting<Root>? { settings.first { $0.path == path } }

  /// Whether `path` names a setting of this table.
  public func knows(path: String) -> Bool { setting(path: path) != nil }

  // MARK: Reading

  /// The entries of a TOML document: top-level keys, then each section's. A key that is no setting of this
  /// table is an error unless `isKnownElsewhere` accepts its path (a setting of another phase in the same file).
  public func entries(
    toml text: String, source: String, isKnownElsewhere: (String) -> Bool = { _ in false }
  ) throws -> [SettingEntry<Root>] {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw SettingError(
        "\(source): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
    }
    var entries: [SettingEntry<Root>] = []
    var sections: [(String, TOMLTable)] = []
    for key in table.keys.sorted() {
      guard let value = table[key] else { continue }
      if let inner = value.table {
        sections.append((key, inner))
        continue
      }
      if let entry = try entry(path: key, value: value, source: source, isKnownElsewhere: isKnownElsewhere) {
        entries.append(entry)
      }
    }
    for (section, inner) in sections {
      for key in inner.keys.sorted() {
        guard let value = inner[key] else { continue }
        let path = "\(section).\(key)"
        if value.table != nil {
          throw SettingError("\(source): [\(path)] is not a section tailnas knows")
        }
        if let entry = try entry(path: path, value: value, source: source, isKnownElsewhere: isKnownElsewhere) {
          entries.append(entry)
        }
      }
    }
    return entries
  }

  private func entry(
    path: String, value: TOMLValueConvertible, source: String, isKnownElsewhere: (String) -> Bool
  ) throws -> SettingEntry<Root>? {
    guard let setting = setting(path: path) else {
      if isKnownElsewhere(path) { return nil }
      throw SettingError("\(source): unknown setting '\(path)'" + suggestion(for: path, among: settings.map(\.path)))
    }
    return SettingEntry(
      setting: setting, value: try Self.configValue(value, path: path, source: source),
      origin: .file(source))
  }

  static func configValue(_ value: TOMLValueConvertible, path: String, source: String) throws -> ConfigValue {
    switch value.type {
    case .int: if let v = value.int { return .integer(v) }
    case .double: if let v = value.double { return .number(v) }
    case .string: if let v = value.string { return .text(v) }
    case .bool: if let v = value.bool { return .boolean(v) }
    default: break
    }
    throw SettingError("\(source): \(path) must be a single value, got \(value.type)")
  }

  /// The entries of command-line arguments: `--flag value` or `--flag=value`; a yes/no setting also takes
  /// `--flag` alone and `--no-flag`.
  public func entries(arguments: [String]) throws -> [SettingEntry<Root>] {
    var entries: [SettingEntry<Root>] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--"), argument.count > 2 else {
        throw SettingError("unexpected argument '\(argument)'")
      }
      var name = String(argument.dropFirst(2))
      var inline: String?
      if let equals = name.firstIndex(of: "=") {
        inline = String(name[name.index(after: equals)...])
        name = String(name[..<equals])
      }
      var negated = false
      if setting(flag: name) == nil, name.hasPrefix("no-"), let s = setting(flag: String(name.dropFirst(3))),
        s.valueName == "yes|no"
      {
        name = String(name.dropFirst(3))
        negated = true
      }
      guard let setting = setting(flag: name) else {
        throw SettingError(
          "unknown option '--\(name)'"
            + suggestion(for: name, among: settings.filter { !$0.isFileOnly }.map(\.flag), prefix: "--"))
      }
      let isBoolean = setting.valueName == "yes|no"
      let text: String
      if let inline {
        text = inline
      } else if isBoolean && (index >= arguments.count || arguments[index].hasPrefix("--")) {
        text = negated ? "false" : "true"
      } else {
        guard index < arguments.count else {
          throw SettingError("\(setting.flagName) needs a value (\(setting.accepted))")
        }
        text = arguments[index]
        index += 1
      }
      if negated, ConfigValue.text(text).boolean == nil {
        throw SettingError("--no-\(name) takes no value")
      }
      entries.append(SettingEntry(setting: setting, value: .text(negated ? "false" : text), origin: .flag))
    }
    return entries
  }

  /// Applies `entries` in order; an invalid value is an error naming the setting as the user gave it.
  public func apply(_ entries: [SettingEntry<Root>], to root: inout Root) throws {
    for entry in entries {
      do {
        try entry.setting.read(entry.value, &root)
      } catch let error as SettingError {
        throw SettingError("\(entry.name) \(error.message)")
      }
    }
  }

  /// `base` with, in this order: the preset flag (a preset set by a flag wins over the file's), the file's
  /// preset, the file's other settings, and the other flags. The preset goes first because choosing one
  /// resets the settings it covers; every later setting is applied over it. Keys of `file` for which
  /// `isKnownElsewhere` holds belong to another table (a pipeline file) and are skipped. Does not validate.
  public func resolve(
    presetPath: String, base: Root, file: (text: String, source: String)?, flags: [SettingEntry<Root>],
    isKnownElsewhere: (String) -> Bool
  ) throws -> Root {
    let isPreset: (SettingEntry<Root>) -> Bool = { $0.setting.path == presetPath }
    var root = base
    let presetFlags = flags.filter(isPreset)
    try apply(presetFlags, to: &root)
    if let file {
      var entries = try entries(toml: file.text, source: file.source, isKnownElsewhere: isKnownElsewhere)
      if !presetFlags.isEmpty { entries.removeAll(where: isPreset) }
      try apply(entries.filter(isPreset) + entries.filter { !isPreset($0) }, to: &root)
    }
    try apply(flags.filter { !isPreset($0) }, to: &root)
    return root
  }

  // MARK: Checking

  /// Every problem of `root`'s values, each a sentence naming the setting by its file path.
  public func problems(_ root: Root) -> [String] {
    settings.compactMap { setting in setting.check(root).map { "\(setting.path) \($0)" } }
  }

  /// Throws the first problem of `root`'s values.
  public func validate(_ root: Root) throws {
    if let first = problems(root).first { throw SettingError(first) }
  }

  // MARK: Writing

  /// `root` as TOML: top-level keys first, then one table per section in the order the settings list them;
  /// numbers in their shortest round-trip form.
  public func toml(_ root: Root) -> String {
    var sectionOrder: [String] = []
    var lines: [String: [String]] = [:]
    var top: [String] = []
    for setting in settings where setting.isWritten {
      guard let value = setting.current(root) else { continue }
      let line = "\(setting.key) = \(TOMLText.value(value))"
      if let section = setting.section {
        if lines[section] == nil { sectionOrder.append(section) }
        lines[section, default: []].append(line)
      } else {
        top.append(line)
      }
    }
    var out = top.joined(separator: "\n")
    for section in sectionOrder {
      out += (out.isEmpty ? "" : "\n\n") + "[\(section)]\n" + lines[section, default: []].joined(separator: "\n")
    }
    return out + "\n"
  }

  // MARK: Help

  /// Help for every flag, grouped by section: the flag and its value, the help, what it accepts and its
  /// default under each of `defaults` (e.g. one configuration per preset), e.g.
  /// `--epochs <n>  Search epochs. Range 1...10000; demo 10, paper 50, tiny 3.`
  public func help(defaults: [(name: String, root: Root)], width: Int = 100) -> String {
    var sections: [String?] = []
    let settings = settings.filter { !$0.isFileOnly }
    for setting in settings where !sections.contains(setting.section) { sections.append(setting.section) }
    let flagWidth = min(settings.map { $0.flagName.count + $0.valueName.count + 5 }.max() ?? 20, 36)
    var out: [String] = []
    for section in sections {
      out.append((out.isEmpty ? "" : "\n") + "\(section.map { "[\($0)]" } ?? "top-level") settings:")
      for setting in settings where setting.section == section {
        let flag = "\(setting.flagName) <\(setting.valueName)>"
        let padded =
          flag.count + 2 <= flagWidth ? flag + String(repeating: " ", count: flagWidth - flag.count) : flag + "  "
        let lines = Format.wrap(describe(setting, defaults: defaults), width: max(width - flagWidth - 2, 30))
        out.append("  " + padded + (lines.first ?? ""))
        for line in lines.dropFirst() { out.append(String(repeating: " ", count: flagWidth + 2) + line) }
      }
    }
    return out.joined(separator: "\n")
  }

  /// One setting's help text: its sentence, what it accepts and its defaults.
  func describe(_ setting: Setting<Root>, defaults: [(name: String, root: Root)]) -> String {
    var text = setting.help
    if !text.hasSuffix(".") { text += "." }
    if let phrase = setting.accepted.helpPhrase { text += " " + phrase }
    let values = defaults.map { ($0.name, setting.display($0.root)) }
    if setting.showsDefault, let first = values.first {
      if values.allSatisfy({ $0.1 == first.1 }) {
        text += " Default: \(first.1)."
      } else {
        text += " Default: " + values.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + "."
      }
    }
    return text
  }
}

/// "; did you mean 'x'?" when one of `candidates` is close to `name`.
func suggestion(for name: String, among candidates: [String], prefix: String = "") -> String {
  let scored = candidates.map { ($0, editDistance(name, $0)) }.filter { $0.1 <= max(2, name.count / 3) }
  guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
  return "; did you mean '\(prefix)\(best.0)'?"
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  guard !a.isEmpty else { return b.count }
  guard !b.isEmpty else { return a.count }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var row = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.count]
}
