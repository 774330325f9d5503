import Architecture
import Datasets
import RunEvents

extension SearchMethod {
  /// The sampler of the instance (or only) branch.
  public var instanceSampler: SamplerKind {
    resamples ? .classBalanced : .uniform
  }

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
