import Architecture
import Collectives
import Datasets
import Engine
import Foundation
import RunEvents
import RunLoop
import Testing

@testable import Search
@testable import Training

/// Data-parallel runs: ranks that are threads of this process (`ThreadedWorld`, the same replication as
/// under MPI) against one process that emulates the ranks; they must agree bit for bit.
@Suite(.serialized) struct DataParallelRunTests {
  static let data = SearchRunTests.data

  static func search(_ order: ArchitectureOrder) -> SearchConfiguration {
    var c = SearchRunTests.configuration(.hls, epochs: 2)
    c.stepsPerEpoch = 3
    c.order = order
    c.threads = 1
    return c
  }

  static func training() -> TrainingConfiguration {
    var c = TrainingRunTests.configuration(.same, epochs: 2)
    c.stepsPerEpoch = 3
    c.threads = 1
    c.scheduleOverrides.dropPath = .linear(from: 0.3, to: 0.3)
    return c
  }

  /// What a run ends with: rank 0's epoch reports (without their durations) and each rank's checksums.
  struct Ending: Equatable {
    var reports: [EpochReport]
    var checksums: [[UInt64]]
  }

  static func reports(_ sink: InMemoryEventSink) -> [EpochReport] {
    sink.events.compactMap { event in
      guard case .epoch(var report) = event else { return nil }
      report.seconds = 0
      return report
    }
  }

  /// An edit of the weight learning rate, queued before the run starts (applied at the first step).
  static let edit = ControlCommand.edit(
    ScheduleEdit(target: .weightLearningRate, curve: .cosine(from: 0.04, to: 0.002)))

  /// Runs `makePhase(parallelism)` in one process emulating two ranks.
  static func emulated(_ makePhase: (DataParallelism) throws -> RunPhase) throws -> Ending {
    let phase = try makePhase(DataParallelism(emulating: 2))
    let sink = InMemoryEventSink()
    let controls = ControlQueue()
    controls.send(edit)
    let loop = EpochLoop(
      phase: phase, schedules: schedules(of: phase), sink: sink, controls: controls, nanPolicy: .stop)
    #expect(loop.run() == .finished)
    return Ending(reports: reports(sink), checksums: [phase.parameterChecksums])
  }

  /// Runs two ranks of `makePhase` on two threads; rank 1 starts with other alphas and weights and a
  /// stop in its own queue, which must not matter: it takes rank 0's state and rank 0's controls.
  static func threaded(
    _ makePhase: (DataParallelism) throws -> RunPhase, scramble: (RunPhase) -> Void
  ) throws -> Ending {
    let world = ThreadedWorld(size: 2)
    let sink = InMemoryEventSink()
    var loops: [EpochLoop] = []
    var phases: [RunPhase] = []
    for rank in 0..<2 {
      let communicator = world.communicator(rank: rank)
      let phase = try makePhase(DataParallelism(communicator: communicator))
      let controls = ControlQueue()
      controls.send(rank == 0 ? edit : .stop)
      if rank == 1 { scramble(phase) }
      let loop = EpochLoop(
        phase: phase, schedules: schedules(of: phase), sink: rank == 0 ? sink : FanOutSink([]), controls: controls,
        nanPolicy: .stop)
      loop.replication = Replication(communicator: communicator)
      loops.append(loop)
      phases.append(phase)
    }
    // Rank 1 first takes rank 0's announcement of the loop, as a follower process does before building it.
    let outcomes = RankThreads.run(
      loops.map { loop in
        {
          if let replication = loop.replication, !replication.communicator.isLeader {
            _ = Replication.receiveAnnouncement(over: replication.communicator)
          }
          return loop.run()
        }
      })
    #expect(outcomes == [.finished, .finished])
    return Ending(reports: reports(sink), checksums: phases.map(\.parameterChecksums))
  }

  static func schedules(of phase: RunPhase) -> Schedules {
    (phase as? SearchPhase)?.configuration.schedules ?? (phase as! TrainingPhase).configuration.schedules
  }

  @Test(arguments: [ArchitectureOrder.first, .second])
  func twoThreadedRanksSearchAsTheEmulationDoes(_ order: ArchitectureOrder) throws {
    let c = Self.search(order)
    let make = { (parallelism: DataParallelism) throws -> RunPhase in
      try SearchPhase(
        configuration: c, runID: "dp", train: Self.data.train, test: Self.data.test, parallelism: parallelism)
    }
    let emulated = try Self.emulated(make)
    let threaded = try Self.threaded(make) { phase in
      for alpha in (phase as! SearchPhase).network.architectureParameters { alpha.tensor.buffer.update(repeating: 0) }
    }
    #expect(threaded.checksums[0] == threaded.checksums[1])
    #expect(threaded.checksums[0] == emulated.checksums[0])
    #expect(threaded.reports == emulated.reports)
    #expect(threaded.reports.count == 2)
  }

  @Test func twoThreadedRanksTrainAsTheEmulationDoes() throws {
    let c = Self.training()
    let data = TrainingRunTests.data
    let make = { (parallelism: DataParallelism) throws -> RunPhase in
      try TrainingPhase(configuration: c, runID: "dp", train: data.train, test: data.test, parallelism: parallelism)
    }
    let emulated = try Self.emulated(make)
    let threaded = try Self.threaded(make) { phase in
      (phase as! TrainingPhase).network.weights[0].tensor.buffer.update(repeating: 0)
    }
    #expect(threaded.checksums[0] == threaded.checksums[1])
    #expect(threaded.checksums[0] == emulated.checksums[0])
    #expect(threaded.reports == emulated.reports)
  }

  @Test func theEmulationOfOneRankIsTheSingleProcess() throws {
    let c = Self.search(.first)
    func run(_ parallelism: DataParallelism) throws -> [UInt64] {
      let phase = try SearchPhase(
        configuration: c, runID: "dp", train: Self.data.train, test: Self.data.test, parallelism: parallelism)
      let loop = EpochLoop(phase: phase, schedules: c.schedules, sink: FanOutSink([]), controls: ControlQueue())
      #expect(loop.run() == .finished)
      return phase.parameterChecksums
    }
    #expect(try run(DataParallelism(emulating: 1)) == run(.single))
  }

  @Test func checkpointsRecordTheWorldSizeAndBatchesMustSplit() throws {
    let c = Self.search(.first)
    let phase = try SearchPhase(
      configuration: c, runID: "dp", train: Self.data.train, test: Self.data.test,
      parallelism: DataParallelism(emulating: 2))
    #expect(phase.checkpointFile(loopState: [:]).metadata["world_size"] == "2")
    #expect(throws: SearchError.self) {
      _ = try SearchPhase(
        configuration: c, runID: "dp", train: Self.data.train, test: Self.data.test,
        parallelism: DataParallelism(emulating: 3))
    }
  }
}
