import Architecture
import Datasets
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

  /// The method's default schedules (DESIGN.md §4): weights cosine 0.025 -> 0.001, alphas 3e-4; mu 1 for
  /// one head, BBN's parabola for naive BBN + DARTS, the symmetric cosine for HLS with multipliers mu, mu,
  /// 1 - mu for the backbone, instance and class heads.
  public var defaultSchedules: Schedules {
    let weights = Curve.cosine(from: 0.025, to: 0.001)
    switch self {
    case .darts, .dartsRS, .dartsRW:
      return Schedules(
        weightLearningRate: weights, mu: .constant(1), architectureLearningRate: 3e-4,
        multipliers: [.backbone: .constant(1)])
    case .bbnDARTS:
      return Schedules(
        weightLearningRate: weights, mu: .parabolic(from: 1, to: 0), architectureLearningRate: 3e-4,
        multipliers: [.backbone: .constant(1), .instance: .constant(1), .class: .constant(1)])
    case .hls:
      return Schedules(
        weightLearningRate: weights, mu: .cosine(from: 1, to: 0), architectureLearningRate: 3e-4,
        multipliers: [.backbone: .mu, .instance: .mu, .class: .oneMinusMu])
    }
  }
}
