import Architecture

/// Every schedule of a run, by epoch: the weight learning rate, mu, and the architecture learning rate of
/// each part of the network, lr_part(t) = architectureLearningRate * multiplier_part(t) (HLS). The single
/// source of every learning-rate and multiplier setting.
public struct Schedules: Sendable, Equatable {
  /// Weight learning rate (cosine 0.025 -> 0.001 in DARTS).
  public var weightLearningRate: Curve
  /// The BBN mixing weight mu.
  public var mu: Curve
  /// Base architecture learning rate lr_alpha (3e-4 in DARTS).
  public var architectureLearningRate: Double
  /// HLS multipliers s_b, s_i, s_c; a part without one has multiplier 1.
  public var multipliers: [ArchitecturePart: Curve]
  /// A training run's drop-path probability (DARTS: linear from 0 to 0.2); nil for a search.
  public var dropPath: Curve?

  public init(
    weightLearningRate: Curve, mu: Curve, architectureLearningRate: Double, multipliers: [ArchitecturePart: Curve],
    dropPath: Curve? = nil
  ) {
    self.weightLearningRate = weightLearningRate
    self.mu = mu
    self.architectureLearningRate = architectureLearningRate
    self.multipliers = multipliers
    self.dropPath = dropPath
  }

  /// The multiplier of `part` (1 when none is set).
  public func multiplier(_ part: ArchitecturePart) -> Curve { multipliers[part] ?? .constant(1) }

  /// The values in force at epoch `epoch` of `epochs`.
  public func values(epoch: Int, of epochs: Int) -> ScheduleValues {
    let p = epochs > 0 ? Double(epoch) / Double(epochs) : 0
    let m = mu.value(progress: p)
    var rates: [ArchitectureComponent: Double] = [:]
    for component in ArchitectureComponent.allCases {
      rates[component] = architectureLearningRate * multiplier(component.part).value(progress: p, mu: m)
    }
    return ScheduleValues(
      weightLearningRate: weightLearningRate.value(progress: p), mu: m, architectureLearningRates: rates,
      dropPath: dropPath?.value(progress: p))
  }

  /// The planned values for epochs 0..<epochs.
  public func plan(epochs: Int) -> [ScheduleValues] {
    (0..<max(epochs, 0)).map { values(epoch: $0, of: epochs) }
  }

  /// Applies an edit after validating it.
  public mutating func apply(_ edit: ScheduleEdit) throws {
    try edit.validate()
    switch edit.target {
    case .weightLearningRate: weightLearningRate = edit.curve
    case .mu: mu = edit.curve
    case .architectureMultiplier(let part): multipliers[part] = edit.curve
    case .dropPath: dropPath = edit.curve
    }
  }

  /// The curve currently set for `target`.
  public func curve(for target: ScheduleTarget) -> Curve {
    switch target {
    case .weightLearningRate: weightLearningRate
    case .mu: mu
    case .architectureMultiplier(let part): multiplier(part)
    case .dropPath: dropPath ?? .constant(0)
    }
  }
}
