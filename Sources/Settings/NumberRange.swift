import Presentation

/// The values a number setting accepts.
public struct NumberRange: Sendable, Equatable, CustomStringConvertible {
  public var lower: Double?
  public var upper: Double?
  public var includesLower: Bool
  public var includesUpper: Bool
  /// Whether the values are integers (ranges print as `1...10000`).
  public var integral: Bool

  public init(
    lower: Double?, upper: Double?, includesLower: Bool = true, includesUpper: Bool = true,
    integral: Bool = false
  ) {
    self.lower = lower
    self.upper = upper
    self.includesLower = includesLower
    self.includesUpper = includesUpper
    self.integral = integral
  }

  /// Integers in `range`.
  public static func integers(_ range: ClosedRange<Int>) -> NumberRange {
    NumberRange(lower: Double(range.lowerBound), upper: Double(range.upperBound), integral: true)
  }

  /// Integers of at least `lower`.
  public static func integers(atLeast lower: Int) -> NumberRange {
    NumberRange(lower: Double(lower), upper: nil, integral: true)
  }

  /// Numbers in `range`, both ends included.
  public static func closed(_ range: ClosedRange<Double>) -> NumberRange {
    NumberRange(lower: range.lowerBound, upper: range.upperBound)
  }

  /// Numbers in [lower, upper).
  public static func halfOpen(_ range: Range<Double>) -> NumberRange {
    NumberRange(lower: range.lowerBound, upper: range.upperBound, includesUpper: false)
  }

  /// Numbers of at least `lower`.
  public static func atLeast(_ lower: Double) -> NumberRange { NumberRange(lower: lower, upper: nil) }

  /// Numbers greater than 0.
  public static let positive = NumberRange(lower: 0, upper: nil, includesLower: false)

  public func contains(_ value: Double) -> Bool {
    guard value.isFinite else { return false }
    if let lower, includesLower ? value < lower : value <= lower { return false }
    if let upper, includesUpper ? value > upper : value >= upper { return false }
    return true
  }

  public var description: String {
    let text = Format.shortest
    switch (lower, upper) {
    case (let lo?, let hi?):
      if integral || (includesLower && includesUpper) { return "\(text(lo))...\(text(hi))" }
      return "\(includesLower ? "[" : "(")\(text(lo)), \(text(hi))\(includesUpper ? "]" : ")")"
    case (let lo?, nil):
      if !includesLower && lo == 0 { return "greater than 0" }
      return includesLower ? "at least \(text(lo))" : "greater than \(text(lo))"
    case (nil, let hi?): return includesUpper ? "at most \(text(hi))" : "less than \(text(hi))"
    case (nil, nil): return "any number"
    }
  }
}
