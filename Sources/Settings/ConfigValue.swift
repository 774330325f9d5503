import Presentation

/// A setting's value as read from a TOML file or typed after a flag (always `.text` then), and as written back.
public enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
  case integer(Int)
  case number(Double)
  case text(String)
  case boolean(Bool)

  /// The value as a user wrote it: numbers in their shortest round-trip form, text in quotes.
  public var description: String {
    switch self {
    case .integer(let v): String(v)
    case .number(let v): Format.shortest(v)
    case .text(let v): "\"\(v)\""
    case .boolean(let v): v ? "true" : "false"
    }
  }

  /// The value without quotes, as shown in help.
  public var plain: String {
    if case .text(let v) = self { return v }
    return description
  }

  /// An integer: a TOML integer, or text that reads as one.
  public var integer: Int? {
    switch self {
    case .integer(let v): v
    case .text(let t): Int(t.trimmingWhitespace)
    case .number(let v): v.rounded() == v && abs(v) < 1e15 ? Int(v) : nil
    case .boolean: nil
    }
  }

  /// A number: a TOML float or integer, or text that reads as one.
  public var number: Double? {
    switch self {
    case .integer(let v): Double(v)
    case .number(let v): v
    case .text(let t): Double(t.trimmingWhitespace)
    case .boolean: nil
    }
  }

  /// Text: a TOML string, or a flag's argument.
  public var text: String? {
    if case .text(let v) = self { return v }
    return nil
  }

  /// A boolean: a TOML boolean, or text `true`/`false`/`yes`/`no`/`on`/`off`/`1`/`0`.
  public var boolean: Bool? {
    switch self {
    case .boolean(let v): v
    case .text(let t):
      switch t.trimmingWhitespace.lowercased() {
      case "true", "yes", "on", "1": true
      case "false", "no", "off", "0": false
      default: nil
      }
    case .integer, .number: nil
    }
  }
}

extension String {
  var trimmingWhitespace: String {
    var s = Substring(self)
    while let first = s.first, first.isWhitespace { s.removeFirst() }
    while let last = s.last, last.isWhitespace { s.removeLast() }
    return String(s)
  }
}
