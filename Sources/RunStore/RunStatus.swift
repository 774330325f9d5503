/// Where a saved run stands.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
  /// A live process owns the run and it has not ended.
  case running
  /// The run completed its last epoch.
  case finished
  /// The run ended with an error (e.g. a full disk).
  case failed
  /// Stopped by the user, killed or crashed: `tailnas resume` continues it.
  case interrupted
  /// Created but not started (the training of a pipeline whose search has not finished).
  case pending
}
