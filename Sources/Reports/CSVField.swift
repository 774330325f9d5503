/// RFC 4180 fields and records.
public enum CSVField {
  /// `field`, quoted when it holds a comma, a double quote, CR or LF (or always with `always`); double quotes
  /// inside are doubled.
  public static func quoted(_ field: String, always: Bool = false) -> String {
    let needsQuotes = always || field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
    guard needsQuotes else { return field }
    return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One record ending in CRLF, as RFC 4180 asks.
  public static func record(_ fields: [String]) -> String {
    fields.map { quoted($0) }.joined(separator: ",") + "\r\n"
  }
}
