/// The search methods of the paper: the DARTS baselines and the two-head BBN searches (DESIGN.md §4).
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

  /// Whether the losses are class-balanced re-weighted.
  public var reweightsLoss: Bool { self == .dartsRW }

  /// Whether the instance (or only) branch samples class-balanced.
  public var resamples: Bool { self == .dartsRS }
}
