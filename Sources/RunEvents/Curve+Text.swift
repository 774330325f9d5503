/// The text form of a curve, as written in config files, flags and the edit form: the kind followed by
/// its numbers, e.g. `cosine 1 0`, `constant 0.5`, `mu`, `one-minus-mu`.
extension Curve {
  /// Parses the text form; the error says what is wrong.
  public init(text: String) throws {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
    guard let first = words.first else { throw CurveError.unknownKind("") }
    guard let kind = CurveKind(rawValue: first.lowercased()) ?? (first == "1-mu" ? .oneMinusMu : nil) else {
      throw CurveError.unknownKind(first)
    }
    var numbers: [Double] = []
    for word in words.dropFirst() {
      guard let value = Double(word) else { throw CurveError.notANumber(word) }
      numbers.append(value)
    }
    try self.init(kind: kind, parameters: numbers)
  }

  /// The text form, parseable by `init(text:)`.
  public var text: String {
    ([kind.rawValue] + parameters.map { Curve.format($0) }).joined(separator: " ")
  }
}
