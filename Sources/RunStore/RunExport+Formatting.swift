import Foundation

/// Number formats shared by the run listing, the comparison report and the exports.
enum ReportNumber {
  /// `61.20%`.
  static func percent(_ value: Double) -> String {
    value.isFinite ? String(format: "%.2f%%", value * 100) : "\(value)"
  }

  /// An imbalance ratio: `100`, `12.5`.
  static func ratio(_ value: Double) -> String {
    String(format: "%g", value)
  }

  /// A value for a data file: the shortest text that reads back as the same Double (`nan`, `inf`, `-inf`
  /// for the non-finite ones).
  static func data(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }

  /// A compact axis or legend label: `0.025`, `3e-04`, `120`.
  static func axis(_ value: Double) -> String {
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e-3 && magnitude < 1e5 { return String(format: "%g", value) }
    return String(format: "%.0e", value)
  }
}

/// RFC 4180 fields and records.
enum CSVField {
  /// `field`, quoted when it holds a comma, a double quote, CR or LF (or always with `always`); double quotes
  /// inside are doubled.
  static func quoted(_ field: String, always: Bool = false) -> String {
    let needsQuotes = always || field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One record ending in CRLF, as RFC 4180 asks.
  static func record(_ fields: [String]) -> String {
    fields.map { quoted($0) }.joined(separator: ",") + "\r\n"
  }
}

/// A plain-text table with columns padded to their widest cell and two spaces between columns.
struct TextTable {
  var header: [String]
  var rows: [[String]]
  /// Column indices whose cells are right-aligned (numbers).
  var rightAligned: Set<Int> = []

  var text: String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { index, cell -> String in
        let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
        if rightAligned.contains(index) { return padding + cell }
        return index == cells.count - 1 ? cell : cell + padding
      }
      return padded.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}

/// Markdown table cells: pipes escaped, line breaks flattened.
enum MarkdownCell {
  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
  }
}
