/// How the long tail is handled while training a found architecture (DESIGN.md §8).
public enum TrainingRecipe: String, CaseIterable, Sendable, Codable {
  /// Uniform sampling, plain cross-entropy (DARTS).
  case plain
  /// Class-balanced re-sampling.
  case rs
  /// Class-balanced re-weighting (effective number).
  case rw
  /// BBN's two heads with cumulative learning: an instance-sampled and a reversed-sampled batch mixed by mu.
  case bbn

  /// Whether the recipe trains the two-head network.
  public var isTwoHead: Bool { self == .bbn }
}

/// The recipe a user asks for: one of the recipes, or `same` as the search method (darts: plain,
/// darts-rs: rs, darts-rw: rw, bbn-darts and hls: bbn).
public enum RecipeChoice: String, CaseIterable, Sendable, Codable {
  case same
  case plain
  case rs
  case rw
  case bbn

  /// The recipe itself, when the choice names one.
  public var recipe: TrainingRecipe? { TrainingRecipe(rawValue: rawValue) }
}
