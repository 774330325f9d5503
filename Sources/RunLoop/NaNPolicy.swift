/// What a run does when a step's loss is not finite (the step itself changes no parameter).
public enum NaNPolicy: String, CaseIterable, Sendable, Codable {
  /// End the run as failed with the reason; `tailnas resume` continues from the last checkpoint.
  case stop
  /// Pause and say why, so a person can edit a schedule and resume (the dashboard's default).
  case pause
  /// Count the step as skipped and go on.
  case skip
}
