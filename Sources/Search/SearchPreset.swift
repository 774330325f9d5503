import Architecture
import Datasets
import RunEvents

/// Sizes of a search tuned for this class of machine.
public enum SearchPreset: String, CaseIterable, Codable, Sendable {
  /// Moves visibly within seconds and finishes in a few minutes on two cores.
  case demo
  /// The paper's setting: C = 16, 8 layers, batch 64, 50 epochs.
  case paper
  /// A few seconds, for tests and smoke runs.
  case tiny
}
