import Data
import Engine
import Foundation
import RunEvents
import Search
import Testing

@testable import RunStore

/// Stops the run when the epoch report of `epoch` arrives (the stop applies at the next step boundary,
/// after that epoch's checkpoint), as a user pressing q or a kill between epochs would.
final class StopAfterEpoch: EventSink, @unchecked Sendable {
  let epoch: Int
  let controls: ControlQueue
  init(epoch: Int, controls: ControlQueue) {
    self.epoch = epoch
    self.controls = controls
  }
  func emit(_ event: RunEvent) {
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
  func writeCheckpoint(_ checkpoint: SafeTensors, epoch: Int) throws -> String {
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
    c.imbalanceRatio = 3
    c.maxPerClass = 60
    c.evaluationLimit = nil
    c.validationLimit = 40
    c.threads = 2
    c.seed = 11
    return c
  }

  static func runner(_ run: RunDirectory, sinks: [EventSink], controls: ControlQueue, store: CheckpointStore? = nil)
    throws -> (SearchRunner, EventLogWriter)
  {
    let log = try EventLogWriter(path: run.eventsPath)
    let runner = try SearchRunner(
      configuration: configuration(), runID: run.id, train: data.train, test: data.test,
      sink: FanOutSink([log] + sinks), controls: controls,
      checkpoints: store ?? CheckpointDirectory(run: run, keep: 2))
    return (runner, log)
  }

  static func lastEpoch(_ run: RunDirectory) throws -> EpochReport? {
    try run.events().events.compactMap { if case .epoch(let e) = $0 { e } else { nil } }.last
  }

  @Test func aResumedRunEndsExactlyLikeAnUninterruptedOne() throws {
    let runs = try temporaryDirectory()
    let config = Self.configuration().tomlText()

    let whole = try RunDirectory.create(in: runs, method: "hls", configuration: config)
    let (a, _) = try Self.runner(whole, sinks: [], controls: ControlQueue())
    #expect(a.run() == .finished)

    let broken = try RunDirectory.create(in: runs, method: "hls", configuration: config)
    let controls = ControlQueue()
    let (b, _) = try Self.runner(broken, sinks: [StopAfterEpoch(epoch: 0, controls: controls)], controls: controls)
    #expect(b.run() == .stopped)
    #expect(broken.checkpoints().map(\.lastPathComponent) == ["epoch-001.safetensors"])

    let (c, _) = try Self.runner(broken, sinks: [], controls: ControlQueue())
    try c.restore(from: SafeTensors(contentsOf: broken.checkpoints().last!))
    #expect(c.epoch == 1)
    #expect(c.run() == .finished)

    for (x, y) in zip(a.network.architectureParameters, c.network.architectureParameters) {
      #expect(x.tensor.scalars == y.tensor.scalars, "\(x.name) differs after resume")
    }
    for (x, y) in zip(a.network.weights, c.network.weights) {
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
    let (runner, _) = try Self.runner(run, sinks: [], controls: ControlQueue(), store: store)
    guard case .failed(let reason) = runner.run() else {
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
    let (runner, _) = try Self.runner(run, sinks: [], controls: ControlQueue())
    var file = runner.checkpoint()
    file.metadata["format"] = "something-else"
    #expect(throws: SearchError.self) { try runner.restore(from: file) }
    file = runner.checkpoint()
    file.tensors.removeValue(forKey: "alphas_class")
    do {
      try runner.restore(from: file)
      Issue.record("restored a checkpoint without alphas_class")
    } catch {
      #expect("\(error)".contains("alphas_class"))
    }
  }
}
