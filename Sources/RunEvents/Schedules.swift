/// The four searched architecture components and their alpha tensors' names.
public enum ArchitectureComponent: String, CaseIterable, Sendable, Codable, Hashable, CodingKeyRepresentable {
  case normal
  case reduce
  case instance
  case `class`

  /// The conventional parameter name, e.g. `alphas_normal`.
  public var parameterName: String { "alphas_\(rawValue)" }

  /// A human title for figures and the dashboard.
  public var title: String {
    switch self {
    case .normal: "backbone normal cell"
    case .reduce: "backbone reduction cell"
    case .instance: "instance head"
    case .class: "class head"
    }
  }
}

/// Every schedule of a search, by epoch: the weight learning rate, mu, and the architecture learning rate of
/// each component, lr_component(t) = archLearningRate * multiplier_component(t) (HLS).
public struct Schedules: Codable, Sendable, Equatable {
  /// Weight learning rate (cosine 0.025 -> 0.001 in DARTS).
  public var weightLearningRate: Curve
  /// The BBN mixing weight mu.
  public var mu: Curve
  /// Base architecture learning rate lr_alpha (3e-4 in DARTS).
  public var architectureLearningRate: Double
  /// Multipliers s_b, s_i, s_c; the backbone's applies to `normal` and `reduce`.
  public var architectureMultipliers: [ArchitectureComponent: Curve]

  public init(
    weightLearningRate: Curve, mu: Curve, architectureLearningRate: Double,
    architectureMultipliers: [ArchitectureComponent: Curve]
  ) {
    self.weightLearningRate = weightLearningRate
    self.mu = mu
    self.architectureLearningRate = architectureLearningRate
    self.architectureMultipliers = architectureMultipliers
  }

  /// The values in force at epoch `epoch` of `epochs`.
  public func values(epoch: Int, of epochs: Int) -> ScheduleValues {
    let p = epochs > 0 ? Double(epoch) / Double(epochs) : 0
    let m = mu.value(progress: p)
    var rates: [ArchitectureComponent: Double] = [:]
    for component in ArchitectureComponent.allCases {
      let multiplier = architectureMultipliers[component] ?? .constant(1)
      rates[component] = architectureLearningRate * multiplier.value(progress: p, mu: m)
    }
    return ScheduleValues(
      weightLearningRate: weightLearningRate.value(progress: p), mu: m, architectureLearningRates: rates)
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
    case .architectureMultiplier(let component):
      architectureMultipliers[component] = edit.curve
      if component == .normal || component == .reduce {
        architectureMultipliers[.normal] = edit.curve
        architectureMultipliers[.reduce] = edit.curve
      }
    }
  }

  /// The curve currently set for `target`.
  public func curve(for target: ScheduleTarget) -> Curve {
    switch target {
    case .weightLearningRate: weightLearningRate
    case .mu: mu
    case .architectureMultiplier(let component): architectureMultipliers[component] ?? .constant(1)
    }
  }
}

/// The schedule values in force at one epoch.
public struct ScheduleValues: Codable, Sendable, Equatable {
  public var weightLearningRate: Double
  public var mu: Double
  public var architectureLearningRates: [ArchitectureComponent: Double]

  public init(weightLearningRate: Double, mu: Double, architectureLearningRates: [ArchitectureComponent: Double]) {
    self.weightLearningRate = weightLearningRate
    self.mu = mu
    self.architectureLearningRates = architectureLearningRates
  }
}

/// Which schedule an edit changes.
public enum ScheduleTarget: Codable, Sendable, Equatable, Hashable {
  case weightLearningRate
  case mu
  /// The HLS multiplier of a component; `normal` and `reduce` share the backbone's.
  case architectureMultiplier(ArchitectureComponent)

  public var title: String {
    switch self {
    case .weightLearningRate: "weight lr"
    case .mu: "mu"
    case .architectureMultiplier(let c):
      switch c {
      case .normal, .reduce: "arch lr x backbone"
      case .instance: "arch lr x instance"
      case .class: "arch lr x class"
      }
    }
  }
}

/// A change of one schedule, applied at the next step boundary.
public struct ScheduleEdit: Codable, Sendable, Equatable {
  public var target: ScheduleTarget
  public var curve: Curve

  public init(target: ScheduleTarget, curve: Curve) {
    self.target = target
    self.curve = curve
  }

  /// Checks the curve against its target: mu within [0, 1] and not following itself; learning rates in
  /// [0, 1]; multipliers in [0, 10].
  public func validate() throws {
    switch target {
    case .mu:
      if curve.followsMu { throw CurveError.notAllowed(name: "mu", kind: curve.kind) }
      try curve.validate(within: 0...1, name: "mu")
    case .weightLearningRate:
      if curve.followsMu { throw CurveError.notAllowed(name: "weight lr", kind: curve.kind) }
      try curve.validate(within: 0...1, name: "weight lr")
    case .architectureMultiplier:
      try curve.validate(within: 0...10, name: target.title)
    }
  }
}
