import Architecture

/// Which schedule an edit changes.
public enum ScheduleTarget: Codable, Sendable, Equatable, Hashable {
  case weightLearningRate
  case mu
  /// The HLS multiplier of a part's architecture learning rate.
  case architectureMultiplier(ArchitecturePart)
  /// A training run's drop-path probability.
  case dropPath

  /// The values its curves may take.
  public var range: ClosedRange<Double> {
    switch self {
    case .weightLearningRate, .mu: 0...1
    case .architectureMultiplier: 0...10
    case .dropPath: 0...0.9
    }
  }

  /// Whether its curve may be `mu` or `one-minus-mu` (the HLS multipliers).
  public var mayFollowMu: Bool {
    if case .architectureMultiplier = self { return true }
    return false
  }

  /// A short title, e.g. `arch lr x backbone`.
  public var title: String {
    switch self {
    case .weightLearningRate: "weight lr"
    case .mu: "mu"
    case .architectureMultiplier(let part): "arch lr x \(part.title)"
    case .dropPath: "drop path"
    }
  }
}
