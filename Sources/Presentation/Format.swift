import Foundation

/// Numbers, durations and text as tailnas shows them everywhere: the dashboard, the console, reports and
/// figures use these and no others.
public enum Format {
  /// A number in at most about 6 characters: `2.31`, `0.025`, `3e-04`, `12.4k`.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    let magnitude = abs(value)
    if magnitude == 0 { return "0" }
    if magnitude >= 100_000 { return String(format: "%.0fk", value / 1000) }
    if magnitude >= 10_000 { return String(format: "%.1fk", value / 1000) }
    if magnitude >= 100 { return String(format: "%.0f", value) }
    if magnitude >= 10 { return trimmed(String(format: "%.1f", value)) }
    if magnitude >= 0.01 { return trimmed(String(format: "%.3g", value)) }
    return String(format: "%.0e", value).replacingOccurrences(of: "e-0", with: "e-")
  }

  /// A fraction as a percentage with `digits` decimals: `61.2%`; `-` for a value that is not finite.
  public static func percent(_ fraction: Double, digits: Int = 1) -> String {
    guard fraction.isFinite else { return "-" }
    return String(format: "%.\(digits)f%%", fraction * 100)
  }

  /// An imbalance ratio or other setting as people write it: `100`, `12.5`, `0.0003` (the shortest text that
  /// reads back as the same number).
  public static func ratio(_ value: Double) -> String { shortest(value) }

  /// A value for a data file (CSV, JSON, TOML) as people write it: a whole number without a point; a value
  /// the engine computed in Float32 (losses, exactly representable as a Float) as Float's shortest round-trip
  /// text (`2.2816813`, not `2.2816812992095947`); any other Double to 15 significant digits, which drops the
  /// last bits' arithmetic noise (`0.019`, not `0.019000000000000003`) and keeps every meaningful digit; `nan`,
  /// `inf`, `-inf` for the others.
  public static func shortest(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    let single = Float(value)
    if single.isFinite, Double(single) == value { return "\(single)" }
    return String(format: "%.15g", value)
  }

  /// A loss or similar value to four decimals for progress lines: `2.3026`.
  public static func fixed(_ value: Double, digits: Int = 4) -> String {
    value.isFinite ? String(format: "%.\(digits)f", value) : shortest(value)
  }

  /// A parameter count in millions as DARTS reports model sizes, to three significant digits: `3.35M`,
  /// `0.0155M`, `12.3M`.
  public static func parameters(_ count: Int) -> String {
    String(format: "%.3gM", Double(count) / 1e6)
  }

  /// `count` and the noun, singular or plural: `1 epoch`, `3 epochs`.
  public static func count(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : (plural ?? singular + "s"))"
  }

  /// A duration: `45s`, `12m30s`, `1h02m`, `2d03h`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    let s = Int(seconds.rounded())
    if s < 60 { return "\(s)s" }
    if s < 3600 { return String(format: "%dm%02ds", s / 60, s % 60) }
    if s < 86400 { return String(format: "%dh%02dm", s / 3600, s % 3600 / 60) }
    return String(format: "%dd%02dh", s / 86400, s % 86400 / 3600)
  }

  /// A weight in [0, 1] as three characters: `.42`, `1.0`, `.07`.
  public static func weight(_ value: Double) -> String {
    guard value.isFinite else { return "nan" }
    if value >= 0.995 { return "1.0" }
    let text = String(format: "%.2f", max(value, 0))
    return String(text.dropFirst())
  }

  /// A weight in [0, 1] with `decimals` decimals and without the leading zero: `.1243`, `1.00`.
  public static func weight(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return shortest(value) }
    let text = String(format: "%.\(max(decimals, 0))f", value)
    return text.hasPrefix("0.") ? String(text.dropFirst()) : text
  }

  private static func trimmed(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var t = text
    while t.hasSuffix("0") { t.removeLast() }
    if t.hasSuffix(".") { t.removeLast() }
    return t
  }

  /// `text` cut to `width` characters, ending in `…` (or `~` in ASCII mode) when cut.
  public static func truncate(_ text: String, _ width: Int, ascii: Bool = false) -> String {
    guard width > 0 else { return "" }
    guard text.count > width else { return text }
    return String(text.prefix(width - 1)) + (ascii ? "~" : "…")
  }

  /// Words of `text` wrapped to lines of at most `width` characters (long words are cut).
  public static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      let candidate = current.isEmpty ? String(word) : current + " " + word
      if candidate.count <= width {
        current = candidate
      } else {
        if !current.isEmpty { lines.append(current) }
        var rest = String(word)
        while rest.count > width {
          lines.append(String(rest.prefix(width)))
          rest = String(rest.dropFirst(width))
        }
        current = rest
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// The plain reason of a file-system error, for messages: the POSIX text under Foundation's error
  /// (`No space left on device`, `Permission denied`, `Not a directory`), else its localized description, never
  /// the error's domain, code and user info.
  public static func reason(_ error: Error) -> String {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return error.localizedDescription
  }
}
