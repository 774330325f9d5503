import RunEvents

/// A stretch of the run during which the search was paused, in global steps.
public struct PauseInterval: Sendable, Equatable {
  public var startStep: Int
  /// Nil while still paused.
  public var endStep: Int?
  /// Why the engine paused on its own (e.g. a NaN loss), nil for a user pause.
  public var reason: String?
}

/// A schedule edit as applied, for the markers on the charts.
public struct EditMarker: Sendable, Equatable {
  public var globalStep: Int
  public var epoch: Int
  public var edit: ScheduleEdit
  public var previous: Curve?
}

/// Everything the dashboard knows from the run's events; the view state lives in `DashboardModel`.
public struct RunData: Sendable, Equatable {
  public private(set) var started: RunStarted?
  public private(set) var history: StepHistory
  /// Epoch reports sorted by epoch (a resumed run replaces epochs it repeats).
  public private(set) var epochs: [EpochReport] = []
  public private(set) var pauses: [PauseInterval] = []
  public private(set) var edits: [EditMarker] = []
  /// The schedules in force, with applied edits.
  public private(set) var schedules: Schedules?
  public private(set) var finished: RunFinished?
  public private(set) var failure: String?
  public private(set) var lastCheckpoint: CheckpointWritten?
  /// Every event applied.
  public private(set) var eventCount = 0

  public init(historyCapacity: Int = 2048) {
    history = StepHistory(capacity: historyCapacity)
  }

  /// Whether the search is paused now.
  public var isPaused: Bool { pauses.last.map { $0.endStep == nil } ?? false }
  /// The engine's reason for the current pause, if it paused on its own.
  public var pauseReason: String? { isPaused ? pauses.last?.reason : nil }
  /// Whether the run reported its end (finished or failed).
  public var hasEnded: Bool { finished != nil || failure != nil }

  /// The latest global step seen.
  public var currentStep: Int {
    if let latest = history.latest { return latest.globalStep }
    if let run = started, let last = epochs.last { return (last.epoch + 1) * run.stepsPerEpoch }
    return 0
  }

  /// The total number of steps planned.
  public var totalSteps: Int { (started?.epochs ?? 0) * (started?.stepsPerEpoch ?? 0) }

  /// The report of `epoch`, if any.
  public func report(epoch: Int) -> EpochReport? {
    epochs.first { $0.epoch == epoch }
  }

  /// Folds one event in.
  public mutating func apply(_ event: RunEvent) {
    eventCount += 1
    switch event {
    case .started(let run):
      started = run
      schedules = run.schedules
      finished = nil
      failure = nil
      epochs.removeAll { $0.epoch >= run.startEpoch }
      if isPaused { pauses[pauses.count - 1].endStep = run.startEpoch * run.stepsPerEpoch }
    case .step(let report):
      history.append(report)
    case .epoch(let report):
      epochs.removeAll { $0.epoch == report.epoch }
      let index = epochs.firstIndex { $0.epoch > report.epoch } ?? epochs.endIndex
      epochs.insert(report, at: index)
    case .control(let applied):
      applyControl(applied)
    case .checkpoint(let checkpoint):
      lastCheckpoint = checkpoint
    case .finished(let end):
      finished = end
      if isPaused { pauses[pauses.count - 1].endStep = currentStep }
    case .failed(let failed):
      failure = failed.reason
    }
  }

  private mutating func applyControl(_ applied: ControlApplied) {
    switch applied.command {
    case .pause:
      if !isPaused {
        pauses.append(PauseInterval(startStep: applied.globalStep, endStep: nil, reason: applied.reason))
      }
    case .resume:
      if isPaused { pauses[pauses.count - 1].endStep = applied.globalStep }
    case .stop:
      break
    case .edit(let edit):
      edits.append(
        EditMarker(globalStep: applied.globalStep, epoch: applied.epoch, edit: edit, previous: applied.previous))
      try? schedules?.apply(edit)
    }
  }
}
