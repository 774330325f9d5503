import Collectives
import Foundation
import RunEvents
import Testing

@testable import RunLoop

/// Two ranks of a counting phase on two threads (a `ThreadedWorld`): rank 0's controls reach both.
@Suite struct ReplicationTests {
  /// Loops of two ranks whose phases meet a NaN at global step `nanStep`; rank 0 reads `controls`, rank 1
  /// has a stop in its own queue, which must not matter.
  static func ranks(controls: ControlQueue, sink: EventSink, nanStep: Int?) -> (loops: [EpochLoop], [CountingPhase]) {
    let world = ThreadedWorld(size: 2)
    var loops: [EpochLoop] = []
    var phases: [CountingPhase] = []
    for rank in 0..<2 {
      let phase = CountingPhase(epochs: 2, stepsPerEpoch: 3)
      phase.nanSteps = nanStep.map { [$0] } ?? []
      let own = ControlQueue()
      own.send(.stop)
      let loop = EpochLoop(
        phase: phase, schedules: EpochLoopTests.schedules, sink: rank == 0 ? sink : FanOutSink([]),
        controls: rank == 0 ? controls : own, nanPolicy: .pause)
      loop.replication = Replication(communicator: world.communicator(rank: rank))
      loops.append(loop)
      phases.append(phase)
    }
    return (loops, phases)
  }

  /// Runs both loops on their own threads; returns a wait for their outcomes.
  static func start(_ loops: [EpochLoop]) -> () -> [RunOutcome] {
    final class Outcomes: @unchecked Sendable {
      var values: [RunOutcome?] = [nil, nil]
      let done = DispatchSemaphore(value: 0)
      let lock = NSLock()
    }
    let outcomes = Outcomes()
    for (rank, loop) in loops.enumerated() {
      Thread {
        if rank > 0 { _ = Replication.receiveAnnouncement(over: loop.replication!.communicator) }
        let outcome = loop.run()
        outcomes.lock.withLock { outcomes.values[rank] = outcome }
        outcomes.done.signal()
      }.start()
    }
    return {
      for _ in loops { outcomes.done.wait() }
      return outcomes.lock.withLock { outcomes.values.map { $0! } }
    }
  }

  @Test func aPauseHoldsEveryRankAndRankZerosEditAndResumeReachThem() throws {
    let controls = ControlQueue()
    let sink = InMemoryEventSink()
    let (loops, phases) = Self.ranks(controls: controls, sink: sink, nanStep: 1)
    let wait = Self.start(loops)
    while !sink.events.contains(where: { if case .control = $0 { true } else { false } }) {
      Thread.sleep(forTimeInterval: 0.005)
    }
    Thread.sleep(forTimeInterval: 0.05)
    #expect(phases.map(\.stepsTaken) == [2, 2], "no rank steps while rank 0 is paused")
    controls.send(.edit(ScheduleEdit(target: .weightLearningRate, curve: .constant(0.5))))
    controls.send(.resume)
    #expect(wait() == [.finished, .finished])
    #expect(phases.map(\.learningRate) == [0.5, 0.5])
    #expect(phases[0].parameter == phases[1].parameter)
    #expect(abs(phases[0].parameter - (0.1 + 4 * 0.5)) < 1e-12)
  }

  /// Ranks whose parameters part are caught at the end of the first epoch, on every rank, by their checksums.
  @Test func ranksOutOfStepFailAfterTheEpoch() {
    let (loops, phases) = Self.ranks(controls: ControlQueue(), sink: InMemoryEventSink(), nanStep: nil)
    phases[1].drift = 0.25
    let outcomes = Self.start(loops)()
    #expect(phases.map(\.stepsTaken) == [3, 3], "both stop after the first epoch's three steps")
    for outcome in outcomes {
      guard case .failed(let reason) = outcome else {
        Issue.record("expected a failure, got \(outcome)")
        continue
      }
      #expect(reason.hasPrefix("the ranks' parameters differ after epoch 1 (rank 0 "), "\(reason)")
    }
  }

  @Test func aStopOnRankZeroStopsEveryRank() {
    let controls = ControlQueue()
    controls.send(.stop)
    let (loops, phases) = Self.ranks(controls: controls, sink: InMemoryEventSink(), nanStep: nil)
    #expect(Self.start(loops)() == [.stopped, .stopped])
    #expect(phases.map(\.stepsTaken) == [0, 0])
  }
}
