import Foundation
import RunEvents

/// The epoch and step loop every phase of a run shares: schedules and their edits, control commands at step
/// boundaries, pause, NaN handling, per-epoch evaluation, checkpoints and events.
///
/// All work happens on the thread that calls `run()`. Control commands are taken at step boundaries; while
/// paused the thread sleeps on the control queue. Every event goes to `sink`; when the sink fails (a full
/// disk), the loop ends the run as failed at the next step boundary, keeping the last checkpoint.
public final class EpochLoop: @unchecked Sendable {
  public let phase: RunPhase
  let sink: EventSink
  let controls: ControlQueue
  let checkpoints: CheckpointStore?
  /// What a step whose loss is not finite does.
  public var nanPolicy: NaNPolicy
  /// The schedules in force, with the edits applied so far.
  public internal(set) var schedules: Schedules
  /// The next epoch to run.
  public private(set) var epoch = 0
  /// Steps run so far, over all epochs (skipped ones included).
  public private(set) var globalStep = 0
  public private(set) var bestAccuracy = -1.0
  public private(set) var bestEpoch = -1
  /// The newest epoch report.
  public private(set) var lastReport: EpochReport?
  var paused = false
  var stopRequested = false
  var imagesPerSecond = 0.0
  /// The first failure of the sink, if any.
  private(set) var sinkFailure: String?
  /// The other ranks of a data-parallel run, nil for a run on one process.
  public var replication: Replication?

  public init(
    phase: RunPhase, schedules: Schedules, sink: EventSink, controls: ControlQueue,
    checkpoints: CheckpointStore? = nil, nanPolicy: NaNPolicy = .pause
  ) {
    self.phase = phase
    self.schedules = schedules
    self.sink = sink
    self.controls = controls
    self.checkpoints = checkpoints
    self.nanPolicy = nanPolicy
  }

  /// The schedule values in force now.
  public var values: ScheduleValues { schedules.values(epoch: epoch, of: phase.epochs) }

  /// The `started` event of the run as it stands.
  public func startedEvent() -> RunStarted {
    var started = phase.started(startEpoch: epoch, schedules: schedules)
    started.editableTargets = phase.editableTargets
    return started
  }

  /// Runs the remaining epochs on the calling thread.
  public func run() -> RunOutcome {
    do {
      try replication?.begin(self)
    } catch {
      return fail("cannot start on every rank: \(error)")
    }
    send(.started(startedEvent()))
    while epoch < phase.epochs {
      let epochStart = Date()
      phase.apply(values)
      var lossSum = 0.0
      var applied = 0
      var correct = 0.0
      var seen = 0
      for s in 0..<phase.stepsPerEpoch {
        guard handleControls() else { return finish(stopped: true) }
        if let failure = storageFailure() { return failure }
        let started = Date()
        let values = self.values
        let outcome = phase.step(values: values)
        let seconds = max(Date().timeIntervalSince(started), 1e-6)
        let rate = Double(outcome.images) / seconds
        imagesPerSecond = imagesPerSecond == 0 ? rate : 0.8 * imagesPerSecond + 0.2 * rate
        send(.step(stepReport(outcome, step: s, values: values)))
        globalStep += 1
        if let failure = outcome.failure {
          if let end = handleNonFinite(failure, step: s) { return end }
          continue
        }
        lossSum += outcome.trainLoss
        applied += 1
        correct += outcome.correct
        seen += outcome.seen
      }
      let train = SplitMetrics(
        loss: applied > 0 ? lossSum / Double(applied) : .nan, accuracy: seen > 0 ? correct / Double(seen) : .nan
      )
      let report = phase.evaluate(
        epoch: epoch, train: train, values: values, seconds: Date().timeIntervalSince(epochStart))
      send(.epoch(report))
      if let reason = replication?.checkInStep(epoch: epoch, checksums: phase.parameterChecksums) {
        return fail(reason)
      }
      lastReport = report
      if report.test.accuracy > bestAccuracy {
        bestAccuracy = report.test.accuracy
        bestEpoch = epoch
      }
      epoch += 1
      if let failure = storageFailure() { return failure }
      if let checkpoints {
        do {
          let path = try checkpoints.writeCheckpoint(try phase.checkpoint(loopState: loopState), epoch: epoch - 1)
          send(.checkpoint(CheckpointWritten(epoch: epoch - 1, path: path)))
        } catch {
          return fail("cannot write the checkpoint of epoch \(epoch): \(error)")
        }
      }
    }
    return finish(stopped: false)
  }

  private func stepReport(_ outcome: StepOutcome, step: Int, values: ScheduleValues) -> StepReport {
    StepReport(
      epoch: epoch, step: step, globalStep: globalStep, trainLoss: outcome.trainLoss,
      validationLoss: outcome.validationLoss, auxiliaryLoss: outcome.auxiliaryLoss,
      trainLossInstance: outcome.instanceLoss,
      trainLossClass: outcome.classLoss, values: values, imagesPerSecond: imagesPerSecond)
  }

  /// Acts on a step that changed nothing because of `failure`; returns the outcome when the run ends.
  private func handleNonFinite(_ failure: String, step s: Int) -> RunOutcome? {
    let place = "\(failure) at epoch \(epoch + 1) step \(s + 1)"
    switch nanPolicy {
    case .stop:
      let resume = epoch > 0 ? "the checkpoint of epoch \(epoch)" : "its start"
      return fail("\(place); no parameter moved; the run can resume from \(resume)")
    case .pause:
      paused = true
      send(
        .control(
          ControlApplied(
            command: .pause, epoch: epoch, globalStep: globalStep,
            reason: "\(place); paused with the parameters of the previous step")))
      return nil
    case .skip:
      return nil
    }
  }

  /// The sink's failure as the end of the run, if it failed.
  private func storageFailure() -> RunOutcome? {
    sinkFailure.map { fail("cannot write the run's events: \($0)") }
  }

  private func fail(_ reason: String) -> RunOutcome {
    send(.failed(RunFailed(reason: reason)))
    return .failed(reason)
  }

  private func finish(stopped: Bool) -> RunOutcome {
    send(
      .finished(
        RunFinished(epochs: epoch, bestTestAccuracy: max(bestAccuracy, 0), bestEpoch: bestEpoch, stopped: stopped)))
    return stopped ? .stopped : .finished
  }

  /// Emits `event`, remembering the sink's first failure.
  func send(_ event: RunEvent) {
    do {
      try sink.emit(event)
    } catch {
      if sinkFailure == nil { sinkFailure = "\(error)" }
    }
  }

  // MARK: Checkpoints

  /// The loop's part of a checkpoint: progress, best epoch and the schedules with their edits.
  var loopState: [String: String] {
    [
      "epoch": String(epoch),
      "global_step": String(globalStep),
      "best_accuracy": String(bestAccuracy),
      "best_epoch": String(bestEpoch),
      "schedules": Self.json(schedules),
    ]
  }

  /// Restores the phase and the loop from a checkpoint file's bytes.
  public func restore(from bytes: [UInt8]) throws {
    let state = try phase.restore(from: bytes)
    guard let nextEpoch = state["epoch"].flatMap(Int.init), let step = state["global_step"].flatMap(Int.init),
      let best = state["best_accuracy"].flatMap(Double.init), let bestAt = state["best_epoch"].flatMap(Int.init),
      let schedulesJSON = state["schedules"]
    else { throw EpochLoopError.invalidCheckpoint("its progress entries are incomplete") }
    guard nextEpoch >= 0, nextEpoch <= phase.epochs, step >= 0 else {
      throw EpochLoopError.invalidCheckpoint("it is at epoch \(nextEpoch) of a run of \(phase.epochs)")
    }
    do {
      schedules = try JSONDecoder().decode(Schedules.self, from: Data(schedulesJSON.utf8))
    } catch {
      throw EpochLoopError.invalidCheckpoint("its schedules cannot be read: \(error)")
    }
    epoch = nextEpoch
    globalStep = step
    bestAccuracy = best
    bestEpoch = bestAt
  }

  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}
