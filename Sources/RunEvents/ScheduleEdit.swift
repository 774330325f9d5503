import Architecture

/// A change of one schedule, applied at the next step boundary.
public struct ScheduleEdit: Codable, Sendable, Equatable {
  public var target: ScheduleTarget
  public var curve: Curve

  public init(target: ScheduleTarget, curve: Curve) {
    self.target = target
    self.curve = curve
  }

  /// Checks the curve against its target: mu within [0, 1] and not following itself; learning rates in
  /// [0, 1] and not following mu; multipliers in [0, 10].
  public func validate() throws {
    if !target.mayFollowMu && curve.followsMu {
      throw CurveError.notAllowed(name: target.title, kind: curve.kind)
    }
    try curve.validate(within: target.range, name: target.title)
  }

  /// What the curves of `target` may be, e.g. `values in [0, 1]`.
  public static func rangeDescription(_ target: ScheduleTarget) -> String {
    "values in [\(Curve.format(target.range.lowerBound)), \(Curve.format(target.range.upperBound))]"
      + (target.mayFollowMu ? ", or mu, one-minus-mu" : "")
  }
}
