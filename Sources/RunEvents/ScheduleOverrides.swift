import Architecture

/// The schedule settings a configuration fixes explicitly; everything else follows the defaults of the
/// method (`applied(to:)`). A configuration keeps only these, so its schedules have a single source.
public struct ScheduleOverrides: Sendable, Equatable {
  public var weightLearningRate: Curve?
  public var mu: Curve?
  public var architectureLearningRate: Double?
  public var multipliers: [ArchitecturePart: Curve] = [:]
  public var dropPath: Curve?

  public init() {}

  /// `defaults` with these overrides in place.
  public func applied(to defaults: Schedules) -> Schedules {
    var s = defaults
    if let weightLearningRate { s.weightLearningRate = weightLearningRate }
    if let mu { s.mu = mu }
    if let architectureLearningRate { s.architectureLearningRate = architectureLearningRate }
    for (part, curve) in multipliers { s.multipliers[part] = curve }
    if let dropPath { s.dropPath = dropPath }
    return s
  }
}
