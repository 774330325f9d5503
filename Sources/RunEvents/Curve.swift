import Foundation

/// A schedule as a value: a curve over training progress p = t / T in [0, 1].
///
/// The same type describes mu, the weight learning rate and the per-component architecture learning-rate
/// multipliers of HLS, so a schedule can be shown, edited, stored and replayed without code paths.
public enum Curve: Codable, Sendable, Equatable, Hashable {
  /// c.
  case constant(Double)
  /// from + (to - from) p.
  case linear(from: Double, to: Double)
  /// from + (to - from) (1 - cos(pi p)) / 2; from 1 to 0 it is mu = (1 + cos(pi t/T)) / 2.
  case cosine(from: Double, to: Double)
  /// from + (to - from) p^2; from 1 to 0 it is BBN's mu = 1 - (t/T)^2.
  case parabolic(from: Double, to: Double)
  /// The current mu (an HLS multiplier).
  case mu
  /// 1 - mu (an HLS multiplier).
  case oneMinusMu

  /// The value at progress `p` (clamped to [0, 1]) given the current `mu`.
  public func value(progress p: Double, mu: Double = 1) -> Double {
    let p = min(max(p, 0), 1)
    switch self {
    case .constant(let c): return c
    case .linear(let a, let b): return a + (b - a) * p
    case .cosine(let a, let b): return a + (b - a) * (1 - cos(Double.pi * p)) / 2
    case .parabolic(let a, let b): return a + (b - a) * p * p
    case .mu: return mu
    case .oneMinusMu: return 1 - mu
    }
  }

  /// The kind as a word, as written in config files and the edit form.
  public var kind: CurveKind {
    switch self {
    case .constant: .constant
    case .linear: .linear
    case .cosine: .cosine
    case .parabolic: .parabolic
    case .mu: .mu
    case .oneMinusMu: .oneMinusMu
    }
  }

  /// Whether the curve depends on mu.
  public var followsMu: Bool { self == .mu || self == .oneMinusMu }

  /// The curve's numbers, for display and editing.
  public var parameters: [Double] {
    switch self {
    case .constant(let c): [c]
    case .linear(let a, let b), .cosine(let a, let b), .parabolic(let a, let b): [a, b]
    case .mu, .oneMinusMu: []
    }
  }

  /// A compact description, e.g. `cosine 0.025 -> 0.001`.
  public var summary: String {
    switch self {
    case .constant(let c): "constant \(Self.format(c))"
    case .linear(let a, let b): "linear \(Self.format(a)) -> \(Self.format(b))"
    case .cosine(let a, let b): "cosine \(Self.format(a)) -> \(Self.format(b))"
    case .parabolic(let a, let b): "parabolic \(Self.format(a)) -> \(Self.format(b))"
    case .mu: "mu"
    case .oneMinusMu: "1-mu"
    }
  }

  static func format(_ v: Double) -> String {
    String(format: "%g", v)
  }

  /// Builds a curve of `kind` from its numbers, checking count and finiteness.
  public init(kind: CurveKind, parameters: [Double]) throws {
    guard parameters.allSatisfy(\.isFinite) else { throw CurveError.notFinite }
    guard parameters.count == kind.parameterCount else {
      throw CurveError.wrongParameterCount(kind: kind, expected: kind.parameterCount, found: parameters.count)
    }
    switch kind {
    case .constant: self = .constant(parameters[0])
    case .linear: self = .linear(from: parameters[0], to: parameters[1])
    case .cosine: self = .cosine(from: parameters[0], to: parameters[1])
    case .parabolic: self = .parabolic(from: parameters[0], to: parameters[1])
    case .mu: self = .mu
    case .oneMinusMu: self = .oneMinusMu
    }
  }

  /// The curve with its first value (a constant's value, a ramp's start) set to `value`; nil for mu-following
  /// curves, which have no numbers.
  public func withStart(_ value: Double) -> Curve? {
    switch self {
    case .constant: .constant(value)
    case .linear(_, let b): .linear(from: value, to: b)
    case .cosine(_, let b): .cosine(from: value, to: b)
    case .parabolic(_, let b): .parabolic(from: value, to: b)
    case .mu, .oneMinusMu: nil
    }
  }

  /// The curve with its end value set to `value`; nil for curves without one (constants, mu-following).
  public func withEnd(_ value: Double) -> Curve? {
    switch self {
    case .linear(let a, _): .linear(from: a, to: value)
    case .cosine(let a, _): .cosine(from: a, to: value)
    case .parabolic(let a, _): .parabolic(from: a, to: value)
    case .constant, .mu, .oneMinusMu: nil
    }
  }

  /// Checks that every value the curve can take lies in `range` (mu-following curves are checked by the
  /// caller against mu's own range).
  public func validate(within range: ClosedRange<Double>, name: String) throws {
    for v in parameters where !range.contains(v) {
      throw CurveError.outOfRange(name: name, value: v, range: range)
    }
  }
}

/// The kinds of `Curve`.
public enum CurveKind: String, Codable, Sendable, CaseIterable {
  case constant
  case linear
  case cosine
  case parabolic
  case mu
  case oneMinusMu = "one-minus-mu"

  /// The text forms of every kind: `constant C | linear A B | cosine A B | parabolic A B | mu | one-minus-mu`.
  public static var textForms: String {
    allCases.map { kind in
      switch kind.parameterCount {
      case 0: kind.rawValue
      case 1: "\(kind.rawValue) C"
      default: "\(kind.rawValue) A B"
      }
    }.joined(separator: " | ")
  }

  /// How many numbers the kind takes.
  public var parameterCount: Int {
    switch self {
    case .constant: 1
    case .linear, .cosine, .parabolic: 2
    case .mu, .oneMinusMu: 0
    }
  }
}

/// An invalid curve.
public enum CurveError: Error, CustomStringConvertible, Equatable {
  case notFinite
  case wrongParameterCount(kind: CurveKind, expected: Int, found: Int)
  case outOfRange(name: String, value: Double, range: ClosedRange<Double>)
  case notAllowed(name: String, kind: CurveKind)
  case unknownKind(String)
  case notANumber(String)

  public var description: String {
    switch self {
    case .notFinite: "values must be finite numbers"
    case .wrongParameterCount(let kind, let expected, let found):
      "\(kind.rawValue) takes \(expected) number\(expected == 1 ? "" : "s"), got \(found)"
    case .outOfRange(let name, let value, let range):
      "\(name) value \(Curve.format(value)) is outside [\(Curve.format(range.lowerBound)), \(Curve.format(range.upperBound))]"
    case .notAllowed(let name, let kind): "\(name) cannot follow \(kind.rawValue)"
    case .unknownKind(let word):
      "unknown schedule kind '\(word)'; expected one of \(CurveKind.allCases.map(\.rawValue).joined(separator: ", "))"
    case .notANumber(let word): "'\(word)' is not a number"
    }
  }
}
