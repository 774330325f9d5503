import Architecture
import Foundation
import RunEvents

/// A run on disk: its id, its history (the shared fold of its events), its status and what reading it met.
@dynamicMemberLookup
public struct RunSummary: Sendable {
  /// The run id (its directory name).
  public var id: String
  /// The run as its events tell it.
  public private(set) var history: RunHistory
  /// Running, finished, failed, stopped, interrupted or pending.
  public private(set) var status: RunStatus
  /// Problems met while reading (e.g. a torn last line).
  public var warnings: [String] = []

  /// Folds `events` in order; `isLive` says whether a live process owns the run.
  public init(id: String, events: [RunEvent], isLive: Bool = false) {
    self.id = id
    history = RunHistory(events: events)
    if history.failure != nil {
      status = .failed
    } else if let finished = history.finished {
      status = finished.stopped ? .stopped : .finished
    } else if history.started == nil {
      status = isLive ? .running : .pending
    } else {
      status = isLive ? .running : .interrupted
    }
  }

  /// Reads and folds the events of `directory`, salvaging what a damaged line leaves (with a warning naming
  /// file:line); a newer schema or a missing log propagates.
  public init(directory: RunDirectory) throws {
    let log = try directory.events(salvage: true)
    self.init(id: directory.id, events: log.events, isLive: directory.isOwnedByLiveProcess)
    warnings = log.warnings
  }

  /// Reads a property of the run history, e.g. `summary.epochs`.
  public subscript<T>(dynamicMember keyPath: KeyPath<RunHistory, T>) -> T { history[keyPath: keyPath] }

  /// The number of epochs with a report.
  public var epochsDone: Int { history.epochs.count }
}
