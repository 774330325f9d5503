import Data
import RunEvents

/// The search methods: DARTS baselines and the two-head BBN searches, as presets over the settings.
public enum SearchMethod: String, CaseIterable, Codable, Sendable {
  /// DARTS: uniform sampling, plain cross-entropy.
  case darts
  /// DARTS with class-balanced re-sampling.
  case dartsRS = "darts-rs"
  /// DARTS with class-balanced re-weighting (effective number, beta 0.9999).
  case dartsRW = "darts-rw"
  /// Naive BBN + DARTS: two heads, parabolic mu, one shared architecture learning rate.
  case bbnDARTS = "bbn-darts"
  /// BBN + DARTS with heterogeneous architecture learning rates (HLS) and a symmetric mu schedule.
  case hls

  /// Whether the method uses the two-head network.
  public var isTwoHead: Bool { self == .bbnDARTS || self == .hls }

  /// The sampler of the instance (or only) branch.
  public var instanceSampler: SamplerKind {
    self == .dartsRS ? .classBalanced : .uniform
  }

  /// Whether the losses are class-balanced re-weighted.
  public var reweightsLoss: Bool { self == .dartsRW }

  /// The method's default schedules (DESIGN.md §4).
  public func defaultSchedules(
    weightLearningRate: Double = 0.025, weightLearningRateMin: Double = 0.001, architectureLearningRate: Double = 3e-4
  ) -> Schedules {
    let weights = Curve.cosine(from: weightLearningRate, to: weightLearningRateMin)
    switch self {
    case .darts, .dartsRS, .dartsRW:
      return Schedules(
        weightLearningRate: weights, mu: .constant(1), architectureLearningRate: architectureLearningRate,
        architectureMultipliers: [.normal: .constant(1), .reduce: .constant(1)])
    case .bbnDARTS:
      return Schedules(
        weightLearningRate: weights, mu: .parabolic(from: 1, to: 0), architectureLearningRate: architectureLearningRate,
        architectureMultipliers: [
          .normal: .constant(1), .reduce: .constant(1), .instance: .constant(1), .class: .constant(1),
        ])
    case .hls:
      return Schedules(
        weightLearningRate: weights, mu: .cosine(from: 1, to: 0), architectureLearningRate: architectureLearningRate,
        architectureMultipliers: [.normal: .mu, .reduce: .mu, .instance: .mu, .class: .oneMinusMu])
    }
  }
}

/// Sizes of a search tuned for this class of machine.
public enum SearchPreset: String, CaseIterable, Codable, Sendable {
  /// Moves visibly within seconds and finishes in a few minutes on two cores.
  case demo
  /// The paper's setting: C = 16, 8 layers, batch 64, 50 epochs.
  case paper
  /// A few seconds, for tests and smoke runs.
  case tiny
}
