/// Sizes of a training run for this class of machine.
public enum TrainingPreset: String, CaseIterable, Codable, Sendable {
  /// A few minutes on two cores: C 8, 5 cells, 10 epochs of 40 steps on a 3000-per-class long tail.
  case demo
  /// The DARTS recipe at a CPU-sized width and depth: C 16, 8 cells, batch 64, 50 epochs over the whole
  /// long-tailed training set (hours).
  case paper
  /// Seconds, for tests and smoke runs (synthetic data).
  case tiny
}
