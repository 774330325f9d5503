import Foundation
import RunEvents
import RunStore

/// Where a study run stands, read from its directories and its lock.
public enum StudyRunState: Sendable, Equatable {
  /// Not started: no run directory yet.
  case missing
  /// A worker holds its lock (host and pid).
  case running(owner: String)
  /// Started and not finished in its search (epochs done of planned): `stopped` by the user (`q`, Ctrl-C), or
  /// killed or crashed (interrupted), as `tailnas runs` tells them apart. Either way a worker resumes it.
  case searchUnfinished(epochs: Int, of: Int, stopped: Bool)
  /// The search finished; its training has not started or did not finish (epochs done of planned).
  case trainingPending(epochs: Int, of: Int)
  /// Everything done.
  case finished
  /// The search or the training failed; the reason.
  case failed(String)

  /// One word for tables: missing, running, stopped, interrupted, to train, finished, failed.
  public var word: String {
    switch self {
    case .missing: "missing"
    case .running: "running"
    case .searchUnfinished(_, _, let stopped): stopped ? "stopped" : "interrupted"
    case .trainingPending: "to train"
    case .finished: "finished"
    case .failed: "failed"
    }
  }

  /// Whether a worker has something to do for the run.
  public var needsWork: Bool {
    switch self {
    case .missing, .searchUnfinished, .trainingPending: true
    case .running, .finished, .failed: false
    }
  }
}

extension StudyRun {
  /// The run's state: its lock first (a live holder other than this process means running), then its search
  /// and training.
  public func state(trains: Bool) -> StudyRunState {
    if let owner = StudyLock.liveHolder(of: self), owner != StudyLock.mark { return .running(owner: owner) }
    guard let search = searchRun, let summary = try? RunSummary(directory: search) else { return .missing }
    switch summary.status {
    case .failed: return .failed(summary.failure ?? "the search failed")
    case .finished: break
    default:
      return .searchUnfinished(
        epochs: summary.epochsDone, of: summary.plannedEpochs ?? 0, stopped: summary.status == .stopped)
    }
    guard trains else { return .finished }
    guard let training = trainingRun, let trained = try? RunSummary(directory: training) else {
      return .trainingPending(epochs: 0, of: self.training?.epochs ?? 0)
    }
    switch trained.status {
    case .finished: return .finished
    case .failed: return .failed(trained.failure ?? "the training failed")
    default:
      return .trainingPending(epochs: trained.epochsDone, of: trained.plannedEpochs ?? self.training?.epochs ?? 0)
    }
  }
}
