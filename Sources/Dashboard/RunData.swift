import RunEvents

/// What the dashboard knows from the run's events: the run history (the fold every reader shares) and the
/// down-sampled step series the charts draw, kept in step with it. The view state lives in `DashboardModel`.
@dynamicMemberLookup
public struct RunData: Sendable, Equatable {
  /// The run as its events tell it.
  public private(set) var run = RunHistory()
  /// The step series at bounded memory, rebuilt when the history drops steps (a resumed segment).
  public private(set) var history: StepHistory

  public init(historyCapacity: Int = 2048) {
    history = StepHistory(capacity: historyCapacity)
  }

  /// Whether the data is a training run's.
  public var isTraining: Bool { run.started?.isTraining ?? false }

  /// Reads a property of the run history, e.g. `data.epochs`.
  public subscript<T>(dynamicMember keyPath: KeyPath<RunHistory, T>) -> T { run[keyPath: keyPath] }

  /// The report of `epoch`, if any.
  public func report(epoch: Int) -> EpochReport? { run.report(epoch: epoch) }

  /// Folds one event in.
  public mutating func apply(_ event: RunEvent) {
    let change = run.apply(event)
    if change.stepsRemoved {
      history = StepHistory(capacity: history.capacity)
      for step in run.steps { history.append(step) }
    } else if change.stepAppended, let step = run.steps.last {
      history.append(step)
    }
  }
}
