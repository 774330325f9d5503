/// The phases of a run: the architecture search and the training of a found architecture from scratch.
public enum RunPhaseKind: String, Codable, Sendable, CaseIterable {
  case search
  case training

  /// A short title, e.g. `search`.
  public var title: String { rawValue }
}
