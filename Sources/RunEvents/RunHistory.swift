import Architecture

/// A run folded from its events, the one fold every reader shares (the dashboard, the run store, reports):
/// what the run is, its epochs and steps, pauses and schedule edits, checkpoints and how it ended.
///
/// A run that resumes writes a new `started` event at its checkpoint's epoch e: everything the interrupted
/// segment recorded after that checkpoint (steps from e x stepsPerEpoch on, epochs from e on, the edits and
/// pauses after it) is dropped, and the schedules go back to the checkpoint's, so each epoch and each step
/// appears once, in order, as the run that continued saw them.
public struct RunHistory: Sendable, Equatable {
  /// The latest `started` event (a resumed run starts again); nil before the first.
  public private(set) var started: RunStarted?
  /// The schedules as planned when the run first started, before any edit.
  public private(set) var plannedSchedules: Schedules?
  /// The schedules in force, with the edits applied.
  public private(set) var schedules: Schedules?
  /// Epoch reports in epoch order, one per epoch.
  public private(set) var epochs: [EpochReport] = []
  /// Step reports in global-step order, one per global step.
  public private(set) var steps: [StepReport] = []
  /// Every control command as applied, in order, including those of interrupted segments.
  public private(set) var controls: [ControlApplied] = []
  /// The pauses of the run as it continued.
  public private(set) var pauses: [PauseInterval] = []
  /// The schedule edits of the run as it continued.
  public private(set) var edits: [EditMarker] = []
  /// The end of the latest segment, if it finished or was stopped.
  public private(set) var finished: RunFinished?
  /// Why the latest segment failed, if it did.
  public private(set) var failure: String?
  public private(set) var lastCheckpoint: CheckpointWritten?
  /// Events applied.
  public private(set) var eventCount = 0
  /// `started` events applied: 1 for a run that never resumed.
  public private(set) var segments = 0

  public init() {}

  /// The history of `events`, in order.
  public init(events: [RunEvent]) {
    self.init()
    for event in events { apply(event) }
  }

  /// Folds one event in.
  @discardableResult
  public mutating func apply(_ event: RunEvent) -> HistoryChange {
    eventCount += 1
    var change = HistoryChange()
    switch event {
    case .started(let run):
      segments += 1
      if plannedSchedules == nil { plannedSchedules = run.schedules }
      started = run
      schedules = run.schedules
      finished = nil
      failure = nil
      let cut = run.startEpoch * run.stepsPerEpoch
      epochs.removeAll { $0.epoch >= run.startEpoch }
      if steps.last.map({ $0.globalStep >= cut }) ?? false {
        steps.removeAll { $0.globalStep >= cut }
        change.stepsRemoved = true
      }
      edits.removeAll { $0.globalStep >= cut }
      pauses.removeAll { $0.startStep >= cut }
      if let last = pauses.indices.last, (pauses[last].endStep ?? .max) > cut { pauses[last].endStep = cut }
    case .step(let report):
      if let last = steps.last, last.globalStep >= report.globalStep {
        steps.removeAll { $0.globalStep >= report.globalStep }
        change.stepsRemoved = true
      }
      steps.append(report)
      change.stepAppended = true
    case .epoch(let report):
      epochs.removeAll { $0.epoch == report.epoch }
      let index = epochs.firstIndex { $0.epoch > report.epoch } ?? epochs.endIndex
      epochs.insert(report, at: index)
    case .control(let applied):
      controls.append(applied)
      applyControl(applied)
    case .checkpoint(let checkpoint):
      lastCheckpoint = checkpoint
    case .finished(let end):
      finished = end
      if isPaused { pauses[pauses.count - 1].endStep = currentStep }
    case .failed(let failed):
      failure = failed.reason
    }
    return change
  }

  private mutating func applyControl(_ applied: ControlApplied) {
    switch applied.command {
    case .pause:
      if !isPaused { pauses.append(PauseInterval(startStep: applied.globalStep, reason: applied.reason)) }
    case .resume:
      if isPaused { pauses[pauses.count - 1].endStep = applied.globalStep }
    case .stop:
      break
    case .edit(let edit):
      // A rejected edit is recorded with its reason and changes nothing.
      guard applied.reason == nil else { return }
      edits.append(
        EditMarker(globalStep: applied.globalStep, epoch: applied.epoch, edit: edit, previous: applied.previous))
      try? schedules?.apply(edit)
    }
  }

  // MARK: Derived

  /// Whether the run is paused now.
  public var isPaused: Bool { pauses.last.map { $0.endStep == nil } ?? false }
  /// The engine's reason for the current pause, if it paused on its own.
  public var pauseReason: String? { isPaused ? pauses.last?.reason : nil }
  /// Whether the latest segment reported its end (finished, stopped or failed).
  public var hasEnded: Bool { finished != nil || failure != nil }

  /// The latest global step seen.
  public var currentStep: Int {
    if let latest = steps.last { return latest.globalStep }
    if let run = started, let last = epochs.last { return (last.epoch + 1) * run.stepsPerEpoch }
    return 0
  }

  /// The number of steps planned.
  public var totalSteps: Int { (started?.epochs ?? 0) * (started?.stepsPerEpoch ?? 0) }

  /// The report of `epoch`, if any.
  public func report(epoch: Int) -> EpochReport? { epochs.first { $0.epoch == epoch } }

  /// The method, e.g. `hls`; `?` before the run started.
  public var method: String { started?.method ?? "?" }
  /// The data set name; `?` before the run started.
  public var dataset: String { started?.dataset ?? "?" }
  /// The imbalance ratio rho of the training set.
  public var imbalanceRatio: Double? { started?.imbalanceRatio }
  /// The number of epochs planned.
  public var plannedEpochs: Int? { started?.epochs }
  /// The latest epoch's report.
  public var finalEpoch: EpochReport? { epochs.last }

  /// The epoch with the best overall test accuracy (the earliest on a tie).
  public var bestEpoch: EpochReport? {
    var best: EpochReport?
    for report in epochs where report.test.accuracy.isFinite {
      if best == nil || report.test.accuracy > best!.test.accuracy { best = report }
    }
    return best
  }

  /// The searched components, in order (the four of a two-head run, `normal` and `reduce` otherwise).
  public var components: [ArchitectureComponent] {
    if let components = started?.components, !components.isEmpty { return components }
    let present = Set(epochs.flatMap { $0.alphas.keys })
    return ArchitectureComponent.allCases.filter(present.contains)
  }
}
