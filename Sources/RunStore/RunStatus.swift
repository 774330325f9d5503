/// Where a saved run stands.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
  /// A live process owns the run and it has not ended.
  case running
  /// The run completed its last epoch.
  case finished
  /// The run ended with an error (e.g. a full disk).
  case failed
  /// Stopped by the user (`q`, or a signal the run handled): it wrote its end, and `tailnas resume` continues it.
  case stopped
  /// Killed or crashed without writing its end: `tailnas resume` continues it from its newest checkpoint.
  case interrupted
  /// Created but not started (the training of a pipeline whose search has not finished).
  case pending
}
