import Datasets
import Engine
import Foundation
import RunEvents
import RunFixtures
import RunLoop
import RunStore
import Search
import Testing

/// Stops the run when the epoch report of `epoch` arrives (the stop applies at the next step boundary,
/// after that epoch's checkpoint), as a user pressing q or a kill between epochs would.
final class StopAfterEpoch: EventSink, @unchecked Sendable {
  let epoch: Int
  let controls: ControlQueue
  init(epoch: Int, controls: ControlQueue) {
    self.epoch = epoch
    self.controls = controls
  }
  func emit(_ event: RunEvent) throws {
    if case .epoch(let e) = event, e.epoch == epoch { controls.send(.stop) }
  }
}

/// A checkpoint store whose disk fills up after `capacity` checkpoints.
final class FillingDisk: CheckpointStore {
  let inner: CheckpointDirectory
  var capacity: Int
  init(inner: CheckpointDirectory, capacity: Int) {
    self.inner = inner
    self.capacity = capacity
  }
  func writeCheckpoint(_ checkpoint: [UInt8], epoch: Int) throws -> String {
    guard capacity > 0 else {
      throw RunStoreError.ioFailure(path: "checkpoints/epoch.tmp", reason: "No space left on device")
    }
    capacity -= 1
    return try inner.writeCheckpoint(checkpoint, epoch: epoch)
  }
}

@Suite(.serialized) struct ResumeTests {
  static let data = SyntheticDataset.make(
    classes: 5, trainPerClass: 60, testPerClass: 20, channels: 1, size: 12, seed: 2)

  static func configuration() -> SearchConfiguration {
    var c = SearchConfiguration(preset: .tiny, method: .hls)
    c.layers = 3
    c.initChannels = 4
    c.batchSize = 8
    c.epochs = 3
    c.stepsPerEpoch = 4
    c.data.imbalanceRatio = 3
    c.data.maxPerClass = 60
    c.data.evaluationLimit = nil
    c.validationLimit = 40
    c.threads = 2
    c.data.seed = 11
    return c
  }

  static func runner(_ run: RunDirectory, sinks: [EventSink], controls: ControlQueue, store: CheckpointStore? = nil)
    throws -> (EpochLoop, SearchPhase)
  {
    let log = try EventLogWriter(path: run.eventsPath)
    let c = configuration()
    let phase = try SearchPhase(configuration: c, runID: run.id, train: data.train, test: data.test)
    let loop = EpochLoop(
      phase: phase, schedules: c.schedules, sink: FanOutSink([log] + sinks), controls: controls,
      checkpoints: store ?? CheckpointDirectory(run: run, keep: 2))
    return (loop, phase)
  }

  static func lastEpoch(_ run: RunDirectory) throws -> EpochReport? {
    try run.events().events.compactMap { if case .epoch(let e) = $0 { e } else { nil } }.last
  }

  @Test func aResumedRunEndsExactlyLikeAnUninterruptedOne() throws {
    let runs = try temporaryDirectory()
    let config = Self.configuration().tomlText()

    let whole = try RunDirectory.create(in: runs, method: "hls", configuration: config)
    let (a, aPhase) = try Self.runner(whole, sinks: [], controls: ControlQueue())
    #expect(a.run() == .finished)

    let broken = try RunDirectory.create(in: runs, method: "hls", configuration: config)
    let controls = ControlQueue()
    let (b, _) = try Self.runner(broken, sinks: [StopAfterEpoch(epoch: 0, controls: controls)], controls: controls)
    #expect(b.run() == .stopped)
    #expect(broken.checkpoints().map(\.lastPathComponent) == ["epoch-001.safetensors"])

    let (c, cPhase) = try Self.runner(broken, sinks: [], controls: ControlQueue())
    try c.restore(from: [UInt8](Data(contentsOf: broken.checkpoints().last!)))
    #expect(c.epoch == 1)
    #expect(c.run() == .finished)

    for (x, y) in zip(aPhase.network.architectureParameters, cPhase.network.architectureParameters) {
      #expect(x.tensor.scalars == y.tensor.scalars, "\(x.name) differs after resume")
    }
    for (x, y) in zip(aPhase.network.weights, cPhase.network.weights) {
      #expect(x.tensor.scalars == y.tensor.scalars, "\(x.name) differs after resume")
    }
    var expected = try #require(try Self.lastEpoch(whole))
    var resumed = try #require(try Self.lastEpoch(broken))
    expected.seconds = 0
    resumed.seconds = 0
    #expect(expected == resumed)
  }

  @Test func aFullDiskFailsTheRunAndKeepsWhatWasWritten() throws {
    let runs = try temporaryDirectory()
    let run = try RunDirectory.create(in: runs, method: "hls", configuration: Self.configuration().tomlText())
    let store = FillingDisk(inner: CheckpointDirectory(run: run, keep: 5), capacity: 1)
    let (loop, _) = try Self.runner(run, sinks: [], controls: ControlQueue(), store: store)
    guard case .failed(let reason) = loop.run() else {
      Issue.record("the run did not fail")
      return
    }
    #expect(reason.contains("No space left on device"))
    #expect(run.checkpoints().count == 1)
    _ = try SafeTensors(contentsOf: run.checkpoints()[0])
    let events = try run.events().events
    guard case .failed(let failed) = events.last else {
      Issue.record("the run is not marked failed")
      return
    }
    #expect(failed.reason.contains("epoch 2"))
    #expect(events.filter { if case .epoch = $0 { true } else { false } }.count == 2)
  }

  @Test func aCorruptCheckpointIsRefusedWithItsProblem() throws {
    let runs = try temporaryDirectory()
    let run = try RunDirectory.create(in: runs, method: "hls", configuration: Self.configuration().tomlText())
    let (_, phase) = try Self.runner(run, sinks: [], controls: ControlQueue())
    var file = phase.checkpointFile(loopState: [:])
    file.metadata["format"] = "something-else"
    #expect(throws: SearchError.self) { try phase.restore(from: file) }
    file = phase.checkpointFile(loopState: [:])
    file.tensors.removeValue(forKey: "alphas_class")
    do {
      try phase.restore(from: file)
      Issue.record("restored a checkpoint without alphas_class")
    } catch {
      #expect("\(error)".contains("alphas_class"))
    }
  }
}

extension ResumeTests {
  @Test func aCheckpointWithoutTheLoopsProgressIsRefused() throws {
    let runs = try temporaryDirectory()
    let run = try RunDirectory.create(in: runs, method: "hls", configuration: Self.configuration().tomlText())
    let (loop, phase) = try Self.runner(run, sinks: [], controls: ControlQueue())
    let bytes = [UInt8](phase.checkpointFile(loopState: [:]).serialized())
    #expect(throws: EpochLoopError.self) { try loop.restore(from: bytes) }
  }
}
