import Foundation
import RunEvents
import RunStore

/// What one study run produced, read from its events: its state, the search's and the training's histories
/// and the numbers the study report compares (each at its run's last epoch, the accuracy after the whole
/// schedule, as DARTS reports it, never picked on the test set).
public struct StudyOutcome: Sendable {
  public var run: StudyRun
  public var state: StudyRunState
  /// The search's events, folded; nil before it started.
  public var search: RunSummary?
  /// The training's events, folded; nil before it started or when the study does not train.
  public var training: RunSummary?

  /// Reads the outcome of `run` from its directories.
  public init(run: StudyRun, trains: Bool) {
    self.run = run
    state = run.state(trains: trains)
    search = run.searchRun.flatMap { try? RunSummary(directory: $0) }
    training = trains ? run.trainingRun.flatMap { try? RunSummary(directory: $0) } : nil
  }

  /// An outcome from histories already in hand (tests, the live study view).
  public init(run: StudyRun, state: StudyRunState, search: RunSummary?, training: RunSummary?) {
    self.run = run
    self.state = state
    self.search = search
    self.training = training
  }

  /// Whether everything the study asks of the run is done, so its numbers count.
  public var isFinished: Bool { state == .finished }

  /// The search network's overall test top-1 at its last epoch.
  public var searchTop1: Double? { search?.finalEpoch?.test.accuracy }

  /// The trained network's test top-1 at its last epoch: overall (`group` nil) or of a shot group
  /// (`many`, `medium`, `few`).
  public func trainedTop1(_ group: String? = nil) -> Double? {
    guard let final = training?.finalEpoch else { return nil }
    guard let group else { return final.test.accuracy }
    return final.groupAccuracy[group]
  }

  /// The trained network's parameters (without the auxiliary head, as DARTS counts them).
  public var parameters: Int? { training?.started?.parameterCount }

  /// The accuracy the study compares: the trained top-1 when the run trains, else the search's.
  public var top1: Double? { training != nil ? trainedTop1() : searchTop1 }

  /// The mean mixing ratio mu over the search's epochs (its schedule's value at each epoch's end).
  public var meanMu: Double? {
    guard let epochs = search?.epochs, !epochs.isEmpty else { return nil }
    return epochs.reduce(0) { $0 + $1.values.mu } / Double(epochs.count)
  }

  /// Wall seconds of the search and the training together.
  public var seconds: Double {
    (search?.epochs ?? []).reduce(0) { $0 + $1.seconds } + (training?.epochs ?? []).reduce(0) { $0 + $1.seconds }
  }
}
