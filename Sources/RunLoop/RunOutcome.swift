/// How a run (or one segment of it) ended.
public enum RunOutcome: Equatable, Sendable {
  /// The last epoch finished.
  case finished
  /// A stop command ended it before the last epoch; it is resumable.
  case stopped
  /// It failed, with the reason; it is resumable from its last checkpoint.
  case failed(String)
}
