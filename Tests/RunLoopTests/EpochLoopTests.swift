import Architecture
import Foundation
import RunEvents
import Testing

@testable import RunLoop

/// A phase whose "model" is one number that each applied step moves by the learning rate, with losses that
/// follow from it, and NaN losses at chosen global steps: enough to watch the loop without an engine.
final class CountingPhase: RunPhase, @unchecked Sendable {
  let epochs: Int
  let stepsPerEpoch: Int
  var editableTargets: [ScheduleTarget] = [.weightLearningRate, .mu]
  /// Global steps (counted by this phase) whose loss is NaN.
  var nanSteps: Set<Int> = []
  var parameter = 0.0
  /// Added to the parameter at every step besides the learning rate: a rank that computes differently.
  var drift = 0.0
  var learningRate = 0.0
  var stepsTaken = 0
  var appliedValues: [ScheduleValues] = []

  init(epochs: Int, stepsPerEpoch: Int) {
    self.epochs = epochs
    self.stepsPerEpoch = stepsPerEpoch
  }

  func apply(_ values: ScheduleValues) {
    learningRate = values.weightLearningRate
    appliedValues.append(values)
  }

  var parameterChecksums: [UInt64] { [parameter.bitPattern] }

  func step(values: ScheduleValues) -> StepOutcome {
    defer { stepsTaken += 1 }
    if nanSteps.contains(stepsTaken) {
      return StepOutcome(trainLoss: .nan, correct: 0, seen: 4, images: 4, failure: "training loss is NaN")
    }
    parameter += learningRate + drift
    return StepOutcome(trainLoss: 1 / (1 + parameter), correct: 3, seen: 4, images: 4)
  }

  func evaluate(epoch: Int, train: SplitMetrics, values: ScheduleValues, seconds: Double) -> EpochReport {
    EpochReport(
      epoch: epoch, train: train, validation: train, test: SplitMetrics(loss: train.loss, accuracy: parameter / 10),
      perClassAccuracy: [], groupAccuracy: [:], alphas: [:], genotypes: [:], values: values, seconds: seconds)
  }

  func started(startEpoch: Int, schedules: Schedules) -> RunStarted {
    RunStarted(
      runID: "counting", method: "test", dataset: "none", imbalanceRatio: 1, epochs: epochs,
      stepsPerEpoch: stepsPerEpoch, batchSize: 4, seed: 0, components: [], primitives: [], classNames: [],
      classCounts: [], shotGroups: [], schedules: schedules, configuration: "", startEpoch: startEpoch)
  }

  func checkpoint(loopState: [String: String]) throws -> [UInt8] {
    var state = loopState
    state["parameter"] = String(parameter)
    state["steps_taken"] = String(stepsTaken)
    return [UInt8](try JSONEncoder().encode(state))
  }

  func restore(from bytes: [UInt8]) throws -> [String: String] {
    let state = try JSONDecoder().decode([String: String].self, from: Data(bytes))
    parameter = Double(state["parameter"]!)!
    stepsTaken = Int(state["steps_taken"]!)!
    return state
  }
}

/// Keeps checkpoints in memory.
final class MemoryCheckpoints: CheckpointStore {
  var files: [Int: [UInt8]] = [:]
  func writeCheckpoint(_ bytes: [UInt8], epoch: Int) throws -> String {
    files[epoch] = bytes
    return "memory/\(epoch)"
  }
}

/// A sink that fails from its `failAfter`-th event on, as a log on a full disk does.
final class FailingSink: EventSink, @unchecked Sendable {
  let failAfter: Int
  var received: [RunEvent] = []
  struct DiskFull: Error, CustomStringConvertible { var description: String { "No space left on device" } }

  init(failAfter: Int) { self.failAfter = failAfter }

  func emit(_ event: RunEvent) throws {
    received.append(event)
    if received.count > failAfter { throw DiskFull() }
  }
}

@Suite struct EpochLoopTests {
  static let schedules = Schedules(
    weightLearningRate: .constant(0.1), mu: .constant(1), architectureLearningRate: 0, multipliers: [:])

  static func loop(
    _ phase: CountingPhase, sink: EventSink, controls: ControlQueue = ControlQueue(), policy: NaNPolicy = .skip,
    checkpoints: CheckpointStore? = nil
  ) -> EpochLoop {
    EpochLoop(
      phase: phase, schedules: schedules, sink: sink, controls: controls, checkpoints: checkpoints, nanPolicy: policy)
  }

  @Test func runsEveryStepInOrderAndEndsWithTheBestEpoch() throws {
    let phase = CountingPhase(epochs: 3, stepsPerEpoch: 4)
    let sink = InMemoryEventSink()
    let checkpoints = MemoryCheckpoints()
    #expect(Self.loop(phase, sink: sink, checkpoints: checkpoints).run() == .finished)
    let steps = sink.events.compactMap { if case .step(let s) = $0 { s } else { nil } }
    #expect(steps.map(\.globalStep) == Array(0..<12))
    #expect(steps.map(\.step) == (0..<3).flatMap { _ in Array(0..<4) })
    #expect(checkpoints.files.keys.sorted() == [0, 1, 2])
    guard case .finished(let end) = sink.events.last else {
      Issue.record("no finished event")
      return
    }
    #expect(end == RunFinished(epochs: 3, bestTestAccuracy: 0.12, bestEpoch: 2, stopped: false))
    #expect(abs(phase.parameter - 1.2) < 1e-12)
  }

  @Test func skippedNaNStepsCountAsStepsButNotInTheTrainingLoss() throws {
    let phase = CountingPhase(epochs: 1, stepsPerEpoch: 4)
    phase.nanSteps = [1]
    let sink = InMemoryEventSink()
    #expect(Self.loop(phase, sink: sink, policy: .skip).run() == .finished)
    let steps = sink.events.compactMap { if case .step(let s) = $0 { s } else { nil } }
    #expect(steps.map(\.globalStep) == [0, 1, 2, 3])
    #expect(steps[1].trainLoss.isNaN)
    guard let report = sink.events.compactMap({ if case .epoch(let e) = $0 { e } else { nil } }).first else {
      Issue.record("no epoch")
      return
    }
    // Three applied steps moved the parameter to 0.1, 0.2, 0.3.
    let expected = (1 / 1.1 + 1 / 1.2 + 1 / 1.3) / 3
    #expect(abs(report.train.loss - expected) < 1e-12)
    #expect(abs(report.train.accuracy - 9.0 / 12.0) < 1e-12)
  }

  @Test func aNaNWithTheStopPolicyFailsTheRunWithWhereAndHow() {
    let phase = CountingPhase(epochs: 3, stepsPerEpoch: 2)
    phase.nanSteps = [3]
    let sink = InMemoryEventSink()
    let outcome = Self.loop(phase, sink: sink, policy: .stop, checkpoints: MemoryCheckpoints()).run()
    guard case .failed(let reason) = outcome else {
      Issue.record("\(outcome)")
      return
    }
    #expect(reason.contains("training loss is NaN at epoch 2 step 2"))
    #expect(reason.contains("resume from the checkpoint of epoch 1"))
    #expect(sink.events.filter { if case .step = $0 { true } else { false } }.count == 4)
    #expect(phase.stepsTaken == 4)
  }

  @Test func aNaNWithThePausePolicyPausesUntilResumed() async throws {
    let phase = CountingPhase(epochs: 1, stepsPerEpoch: 3)
    phase.nanSteps = [0]
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    let loop = Self.loop(phase, sink: sink, controls: controls, policy: .pause)
    let done = Task.detached { loop.run() }
    while !sink.events.contains(where: { if case .control = $0 { true } else { false } }) {
      try await Task.sleep(nanoseconds: 5_000_000)
    }
    guard case .control(let pause) = sink.events.last else {
      Issue.record("no pause")
      return
    }
    #expect(pause.command == .pause && pause.globalStep == 1)
    #expect(pause.reason?.contains("training loss is NaN at epoch 1 step 1") == true)
    try await Task.sleep(nanoseconds: 50_000_000)
    #expect(phase.stepsTaken == 1, "no step runs while paused")
    controls.send(.resume)
    #expect(await done.value == .finished)
    #expect(phase.stepsTaken == 3)
  }

  @Test func editsApplyAtTheNextStepAndTargetsThePhaseLacksAreRejected() throws {
    let phase = CountingPhase(epochs: 1, stepsPerEpoch: 2)
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    controls.send(.edit(ScheduleEdit(target: .weightLearningRate, curve: .constant(0.5))))
    controls.send(.edit(ScheduleEdit(target: .architectureMultiplier(.class), curve: .constant(2))))
    controls.send(.edit(ScheduleEdit(target: .mu, curve: .constant(3))))
    let loop = Self.loop(phase, sink: sink, controls: controls)
    #expect(loop.run() == .finished)
    let applied = sink.events.compactMap { if case .control(let c) = $0 { c } else { nil } }
    #expect(applied.count == 3)
    #expect(applied[0].reason == nil && applied[0].previous == .constant(0.1))
    #expect(applied[1].reason == "rejected: this run has no arch lr x class schedule")
    #expect(applied[2].reason?.hasPrefix("rejected: mu value 3 is outside [0, 1]") == true)
    #expect(loop.schedules.weightLearningRate == .constant(0.5))
    #expect(abs(phase.parameter - 1.0) < 1e-12)
  }

  @Test func aStopEndsAtAStepBoundaryAndTheRunIsResumableFromItsCheckpoint() throws {
    let phase = CountingPhase(epochs: 3, stepsPerEpoch: 2)
    let checkpoints = MemoryCheckpoints()
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    controls.send(.edit(ScheduleEdit(target: .weightLearningRate, curve: .constant(0.2))))
    // Stop once the first checkpoint exists.
    let stopper = StoppingSink(after: { if case .checkpoint = $0 { true } else { false } }, controls: controls)
    let both = FanOutSink([sink, stopper])
    let stopping = EpochLoop(
      phase: phase, schedules: Self.schedules, sink: both, controls: controls, checkpoints: checkpoints,
      nanPolicy: .skip)
    #expect(stopping.run() == .stopped)
    let resumedPhase = CountingPhase(epochs: 3, stepsPerEpoch: 2)
    let resumed = Self.loop(resumedPhase, sink: InMemoryEventSink(), checkpoints: checkpoints)
    try resumed.restore(from: checkpoints.files[0]!)
    #expect(resumed.epoch == 1 && resumed.globalStep == 2)
    #expect(resumed.schedules.weightLearningRate == .constant(0.2), "edits live in the checkpoint")
    #expect(resumed.run() == .finished)
    #expect(abs(resumedPhase.parameter - 1.2) < 1e-12)
  }

  @Test func aSecondStopIsNotRecordedTwice() {
    let phase = CountingPhase(epochs: 3, stepsPerEpoch: 2)
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    controls.send(.stop)
    controls.send(.stop)  // the dashboard's quit, then the session's end
    let loop = EpochLoop(
      phase: phase, schedules: Self.schedules, sink: sink, controls: controls, checkpoints: MemoryCheckpoints(),
      nanPolicy: .skip)
    #expect(loop.run() == .stopped)
    let stops = sink.events.filter { if case .control(let c) = $0 { c.command == .stop } else { false } }
    #expect(stops.count == 1)
  }

  @Test func aFailingSinkEndsTheRunAsFailedAtTheNextStepBoundary() {
    let phase = CountingPhase(epochs: 2, stepsPerEpoch: 3)
    let sink = FailingSink(failAfter: 3)
    let outcome = Self.loop(phase, sink: sink).run()
    #expect(outcome == .failed("cannot write the run's events: No space left on device"))
    #expect(phase.stepsTaken == 3, "the step whose event failed ends the run before another step")
  }
}

/// Sends a stop when it sees an event that `after` picks.
final class StoppingSink: EventSink, @unchecked Sendable {
  let after: (RunEvent) -> Bool
  let controls: ControlQueue
  init(after: @escaping (RunEvent) -> Bool, controls: ControlQueue) {
    self.after = after
    self.controls = controls
  }
  func emit(_ event: RunEvent) throws {
    if after(event) { controls.send(.stop) }
  }
}
