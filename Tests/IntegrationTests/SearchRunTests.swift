import Architecture
import Datasets
import Engine
import Foundation
import RunEvents
import RunLoop
import Testing

@testable import Search

/// End-to-end searches on small synthetic data.
@Suite(.serialized) struct SearchRunTests {
  static let data = SyntheticDataset.make(
    classes: 5, trainPerClass: 80, testPerClass: 30, channels: 1, size: 12, seed: 1)

  static func configuration(_ method: SearchMethod, epochs: Int = 4) -> SearchConfiguration {
    var c = SearchConfiguration(preset: .tiny, method: method)
    c.layers = 3
    c.initChannels = 4
    c.batchSize = 16
    c.epochs = epochs
    c.stepsPerEpoch = 10
    c.data.imbalanceRatio = 2
    c.data.maxPerClass = 80
    c.data.evaluationLimit = nil
    c.validationLimit = nil
    c.threads = 2
    c.scheduleOverrides.weightLearningRate = .cosine(from: 0.05, to: 0.001)
    return c
  }

  /// A search of `c` in the run loop, with its phase.
  static func runner(
    _ c: SearchConfiguration, sink: EventSink, controls: ControlQueue = ControlQueue(), nanPolicy: NaNPolicy = .pause
  ) throws -> (loop: EpochLoop, phase: SearchPhase) {
    let phase = try SearchPhase(configuration: c, runID: "test", train: data.train, test: data.test)
    let loop = EpochLoop(phase: phase, schedules: c.schedules, sink: sink, controls: controls, nanPolicy: nanPolicy)
    return (loop, phase)
  }

  @Test(arguments: [SearchMethod.darts, .hls])
  func aTinySearchLearnsAndReportsInOrder(_ method: SearchMethod) throws {
    let sink = InMemoryEventSink()
    let (loop, _) = try Self.runner(Self.configuration(method), sink: sink)
    #expect(loop.run() == .finished)
    let events = sink.events
    guard case .started(let started) = events.first else {
      Issue.record("first event is not started")
      return
    }
    #expect(started.components.count == (method.isTwoHead ? 4 : 2))
    #expect(started.classCounts.count == 5)
    var expectedStep = 0
    var epochs: [EpochReport] = []
    for event in events.dropFirst().dropLast() {
      switch event {
      case .step(let s):
        #expect(s.globalStep == expectedStep)
        #expect(s.epoch == epochs.count)
        expectedStep += 1
      case .epoch(let e):
        #expect(e.epoch == epochs.count)
        #expect(expectedStep == (e.epoch + 1) * 10)
        epochs.append(e)
      default:
        Issue.record("unexpected event \(event)")
      }
    }
    guard case .finished(let finished) = events.last else {
      Issue.record("last event is not finished")
      return
    }
    #expect(epochs.count == 4 && finished.epochs == 4 && !finished.stopped)
    let last = epochs.last!
    #expect(last.test.accuracy > 0.5, "chance is 0.2; got \(last.test.accuracy)")
    #expect(last.perClassAccuracy.count == 5)
    #expect(Set(last.groupAccuracy.keys) == ["many", "medium", "few"])
    #expect(last.alphas.count == started.components.count)
    for rows in last.alphas.values {
      #expect(rows.count == 14)
      for row in rows { #expect(abs(row.reduce(0, +) - 1) < 1e-9) }
    }
    #expect(last.genotypes[.normal]?.edges.count == 8)
    if method == .hls {
      #expect(last.values.mu < 1)
      #expect(abs(last.values.architectureLearningRates[.class]! - 3e-4 * (1 - last.values.mu)) < 1e-12)
    }
  }

  @Test func pauseStopsProgressUntilResume() throws {
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    let (loop, phase) = try Self.runner(Self.configuration(.darts, epochs: 1), sink: sink, controls: controls)
    controls.send(.pause)
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      _ = loop.run()
      done.signal()
    }
    Thread.sleep(forTimeInterval: 1.0)
    let whilePaused = sink.events
    #expect(!whilePaused.contains { if case .step = $0 { true } else { false } })
    #expect(whilePaused.contains(.control(ControlApplied(command: .pause, epoch: 0, globalStep: 0))))
    let edit = ScheduleEdit(target: .weightLearningRate, curve: .constant(0.01))
    controls.send(.edit(edit))
    controls.send(.resume)
    #expect(done.wait(timeout: .now() + 120) == .success)
    let events = sink.events
    #expect(
      events.contains(
        .control(
          ControlApplied(
            command: .edit(edit), epoch: 0, globalStep: 0, previous: .cosine(from: 0.05, to: 0.001)))))
    let steps = events.compactMap { if case .step(let s) = $0 { s } else { nil } }
    #expect(steps.count == 10)
    #expect(steps.allSatisfy { $0.values.weightLearningRate == 0.01 })
    #expect(phase.step.weightOptimizer.learningRate == 0.01)
  }

  /// A network whose first weight is NaN: every loss is NaN.
  static func poisoned(_ policy: NaNPolicy, sink: EventSink, controls: ControlQueue = ControlQueue()) throws -> (
    EpochLoop, SearchPhase
  ) {
    let (loop, phase) = try Self.runner(
      Self.configuration(.darts, epochs: 1), sink: sink, controls: controls, nanPolicy: policy)
    phase.network.weights[0].tensor[0] = .nan
    return (loop, phase)
  }

  @Test func aNaNLossPausesAndSaysSo() throws {
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    let (loop, _) = try Self.poisoned(.pause, sink: sink, controls: controls)
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      _ = loop.run()
      done.signal()
    }
    var pause: ControlApplied?
    for _ in 0..<200 where pause == nil {
      Thread.sleep(forTimeInterval: 0.05)
      pause = sink.events.compactMap { if case .control(let c) = $0, c.command == .pause { c } else { nil } }.first
    }
    #expect(pause?.reason?.contains("loss is NaN at epoch 1 step 1") == true, "\(String(describing: pause))")
    controls.send(.stop)
    #expect(done.wait(timeout: .now() + 60) == .success)
    guard case .finished(let f) = sink.events.last else {
      Issue.record("no finished event")
      return
    }
    #expect(f.stopped)
  }

  @Test func aNaNStepMovesNoParameterNotEvenTheAlphasAdamAlreadyStepped() throws {
    let sink = InMemoryEventSink()
    let (loop, phase) = try Self.poisoned(.skip, sink: sink)
    let before = phase.network.stateDict.map { $0.tensor.copy() }
    let adamSteps = phase.step.architect.optimizer.steps
    #expect(loop.run() == .finished)
    let after = phase.network.stateDict.map(\.tensor)
    for (a, b) in zip(before, after) {
      #expect((0..<a.count).allSatisfy { a[$0] == b[$0] || (a[$0].isNaN && b[$0].isNaN) })
    }
    #expect(phase.step.architect.optimizer.steps == adamSteps)
    #expect(loop.globalStep == 10, "skipped steps still count")
  }

  @Test func imageSizesTheNetworkCannotHalveAreRefusedNamingSizesThatWork() throws {
    // 18 -> 9 at the first reduction, odd at the second: FactorizedReduce's halves would be 5 and 4 wide.
    let odd = SyntheticDataset.make(classes: 5, trainPerClass: 20, testPerClass: 5, channels: 1, size: 18, seed: 1)
    do {
      _ = try SearchPhase(configuration: Self.configuration(.darts), runID: "x", train: odd.train, test: odd.test)
      Issue.record("an 18x18 search was accepted")
    } catch {
      #expect(
        "\(error)"
          == "images of 18x18 reach reduction cell 2 at 9x9, which is odd; each reduction halves the size exactly, "
          + "so the side must be a multiple of 4 (e.g. 16x16, 20x20)")
    }
    let fashion = SyntheticDataset.make(classes: 5, trainPerClass: 20, testPerClass: 5, channels: 1, size: 28, seed: 1)
    _ = try SearchPhase(configuration: Self.configuration(.darts), runID: "x", train: fashion.train, test: fashion.test)
  }

  @Test func aNaNLossWithTheStopPolicyFailsTheRun() throws {
    let sink = InMemoryEventSink()
    let (loop, _) = try Self.poisoned(.stop, sink: sink)
    guard case .failed(let reason) = loop.run() else {
      Issue.record("the run did not fail")
      return
    }
    #expect(reason.contains("loss is NaN at epoch 1 step 1"))
    #expect(sink.events.contains { if case .failed = $0 { true } else { false } })
  }
}
