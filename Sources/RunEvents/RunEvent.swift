import Architecture
import Foundation

/// Everything a search reports, in order. Each event is one line of `events.jsonl` (see `EventEnvelope`)
/// and one message on the dashboard channel.
public enum RunEvent: Codable, Sendable, Equatable {
  case started(RunStarted)
  case step(StepReport)
  case epoch(EpochReport)
  case control(ControlApplied)
  case checkpoint(CheckpointWritten)
  case finished(RunFinished)
  case failed(RunFailed)

  /// Whether a consumer that falls behind may drop this event (only step reports).
  public var isDroppable: Bool {
    if case .step = self { return true }
    return false
  }
}

/// The version of the event schema written into every line.
public let eventSchemaVersion = 1
