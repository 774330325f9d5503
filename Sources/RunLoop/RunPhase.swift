import RunEvents

/// A phase of a run (the architecture search, the training of a found architecture) as the run loop drives
/// it: its size, one step, the evaluation at the end of an epoch, its events' content and its checkpoint.
///
/// The loop owns progress (epoch, step, best epoch), the schedules and their edits, controls, NaN handling,
/// events and checkpoint files; a phase owns its network, optimizers, data and samplers.
public protocol RunPhase: AnyObject {
  /// Epochs planned.
  var epochs: Int { get }
  /// Steps in each epoch.
  var stepsPerEpoch: Int { get }
  /// The schedules a user may edit while the phase runs.
  var editableTargets: [ScheduleTarget] { get }
  /// Takes the schedule values in force: at the start of every epoch and after every edit.
  func apply(_ values: ScheduleValues)
  /// Runs one step with `values` in force. A step that meets a loss or gradient that is not finite must
  /// leave every parameter and optimizer state as it was, and say why in `failure`.
  func step(values: ScheduleValues) -> StepOutcome
  /// The report at the end of `epoch`, given the epoch's training metrics.
  func evaluate(epoch: Int, train: SplitMetrics, values: ScheduleValues, seconds: Double) -> EpochReport
  /// The `started` event of the phase, starting (or resuming) at `startEpoch`.
  func started(startEpoch: Int, schedules: Schedules) -> RunStarted
  /// The phase's state (weights, optimizer, samplers, generators) with the loop's `state` entries, as the
  /// bytes of one checkpoint file.
  func checkpoint(loopState state: [String: String]) throws -> [UInt8]
  /// Restores a checkpoint written by `checkpoint(loopState:)`; returns the loop's entries.
  func restore(from bytes: [UInt8]) throws -> [String: String]
  /// Checksums of the parameters every rank of a data-parallel run must hold alike (compared after steps).
  var parameterChecksums: [UInt64] { get }
}
