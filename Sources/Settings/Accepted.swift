/// What a setting accepts, for help and messages.
public enum Accepted: Sendable, Equatable, CustomStringConvertible {
  /// Numbers in a range.
  case range(NumberRange)
  /// One of these words.
  case choices([String])
  /// Free text (a path, a name).
  case text
  /// true or false.
  case boolean
  /// Anything else, described in words.
  case described(String)

  public var description: String {
    switch self {
    case .range(let range): range.description
    case .choices(let words): words.joined(separator: ", ")
    case .text: "text"
    case .boolean: "true or false"
    case .described(let text): text
    }
  }

  /// The phrase in help: `Range 1...10000.`, `One of first, second.`, or the description.
  var helpPhrase: String? {
    switch self {
    case .range(let range):
      range.lower != nil && range.upper != nil
        ? "Range \(range)." : range.description.prefix(1).uppercased() + range.description.dropFirst() + "."
    case .choices(let words): "One of \(words.joined(separator: ", "))."
    case .text: nil
    case .boolean: "true or false."
    case .described(let text): text.hasSuffix(".") ? text : text + "."
    }
  }
}
