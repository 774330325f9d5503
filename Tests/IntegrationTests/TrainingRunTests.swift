import Architecture
import Datasets
import Engine
import Foundation
import RunEvents
import RunFixtures
import RunLoop
import RunStore
import Testing

@testable import Training

/// End-to-end training runs of a found architecture on small synthetic data.
@Suite(.serialized) struct TrainingRunTests {
  static let data = SyntheticDataset.make(
    classes: 5, trainPerClass: 80, testPerClass: 30, channels: 1, size: 24, seed: 1)

  /// DARTS' published cell.
  static let dartsV2 = try! GenotypeParser.parse(
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
      + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
      + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
      + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
      + "reduce_concat=[2, 3, 4, 5])")

  static func configuration(_ recipe: RecipeChoice, epochs: Int = 4) -> TrainingConfiguration {
    var c = TrainingConfiguration(preset: .tiny)
    c.genotype = dartsV2
    c.recipe = recipe
    c.method = .hls
    c.layers = 3
    c.initChannels = 4
    c.batchSize = 16
    c.epochs = epochs
    c.stepsPerEpoch = 10
    c.data.imbalanceRatio = 2
    c.data.maxPerClass = 80
    c.data.evaluationLimit = nil
    c.threads = 2
    c.scheduleOverrides.weightLearningRate = .cosine(from: 0.05, to: 0)
    return c
  }

  static func run(
    _ c: TrainingConfiguration, sink: EventSink, controls: ControlQueue = ControlQueue(),
    checkpoints: CheckpointStore? = nil, nanPolicy: NaNPolicy = .pause
  ) throws -> (loop: EpochLoop, phase: TrainingPhase) {
    let phase = try TrainingPhase(configuration: c, runID: "train", train: data.train, test: data.test)
    let loop = EpochLoop(
      phase: phase, schedules: c.schedules, sink: sink, controls: controls, checkpoints: checkpoints,
      nanPolicy: nanPolicy)
    return (loop, phase)
  }

  @Test(arguments: [RecipeChoice.plain, .bbn])
  func aTinyTrainingRunLearnsAndReportsInOrder(_ recipe: RecipeChoice) throws {
    let sink = InMemoryEventSink()
    let (loop, phase) = try Self.run(Self.configuration(recipe), sink: sink)
    #expect(loop.run() == .finished)
    guard case .started(let started) = sink.events.first else {
      Issue.record("no started event")
      return
    }
    #expect(started.phase == .training)
    #expect(started.recipe == (recipe == .plain ? "plain" : "bbn"))
    #expect(started.parameterCount == phase.network.parameterCount)
    #expect(try GenotypeParser.parse(try #require(started.genotype)).normal == Self.dartsV2.normal)
    #expect(started.components.count == (recipe == .bbn ? 4 : 2))
    let steps = sink.events.compactMap { if case .step(let s) = $0 { s } else { nil } }
    #expect(steps.map(\.globalStep) == Array(0..<40))
    #expect(steps.allSatisfy { $0.auxiliaryLoss != nil && $0.validationLoss == nil })
    #expect(steps.allSatisfy { ($0.trainLossInstance != nil) == (recipe == .bbn) })
    // Drop path ramps linearly from 0 over the epochs (0.2 at the end).
    #expect(steps.first?.values.dropPath == 0)
    #expect(abs((steps.last?.values.dropPath ?? 0) - 0.15) < 1e-12)
    let epochs = sink.events.compactMap { if case .epoch(let e) = $0 { e } else { nil } }
    #expect(epochs.count == 4 && epochs.allSatisfy { $0.validation == nil && $0.alphas.isEmpty })
    let last = try #require(epochs.last)
    #expect(last.test.accuracy > 0.5, "chance is 0.2; got \(last.test.accuracy)")
    #expect(Set(last.groupAccuracy.keys) == ["many", "medium", "few"])
  }

  @Test func aStoppedTrainingResumesExactly() throws {
    let runs = try temporaryDirectory("training")
    let c = Self.configuration(.bbn, epochs: 3)
    let whole = try RunDirectory.create(in: runs, method: "train", configuration: c.tomlText())
    let (a, aPhase) = try Self.run(
      c, sink: InMemoryEventSink(), checkpoints: CheckpointDirectory(run: whole, keep: 3))
    #expect(a.run() == .finished)

    let broken = try RunDirectory.create(in: runs, method: "train", configuration: c.tomlText())
    let controls = ControlQueue()
    let stopper = StopAfterEpoch(epoch: 0, controls: controls)
    let (b, _) = try Self.run(
      c, sink: stopper, controls: controls, checkpoints: CheckpointDirectory(run: broken, keep: 3))
    #expect(b.run() == .stopped)
    let (resumed, resumedPhase) = try Self.run(
      c, sink: InMemoryEventSink(), checkpoints: CheckpointDirectory(run: broken, keep: 3))
    try resumed.restore(from: [UInt8](Data(contentsOf: broken.checkpoints().last!)))
    #expect(resumed.epoch == 1)
    #expect(resumed.run() == .finished)
    for (x, y) in zip(aPhase.network.stateDict, resumedPhase.network.stateDict) {
      #expect(x.tensor.scalars == y.tensor.scalars, "\(x.name) differs after resume")
    }
    for (x, y) in zip(aPhase.network.statistics, resumedPhase.network.statistics) {
      #expect(x.statistics.batchesTracked == y.statistics.batchesTracked)
    }
  }

  @Test func aNaNStepMovesNothingAndTheStopPolicyFailsTheRun() throws {
    let sink = InMemoryEventSink()
    let (loop, phase) = try Self.run(Self.configuration(.plain, epochs: 1), sink: sink, nanPolicy: .stop)
    phase.network.weights[0].tensor[0] = .nan
    let before = phase.network.stateDict.map { $0.tensor.copy() }
    guard case .failed(let reason) = loop.run() else {
      Issue.record("the run did not fail")
      return
    }
    #expect(reason.contains("training loss is NaN at epoch 1 step 1"))
    for (a, b) in zip(before, phase.network.stateDict.map(\.tensor)) {
      #expect((0..<a.count).allSatisfy { a[$0] == b[$0] || (a[$0].isNaN && b[$0].isNaN) })
    }
  }

  @Test func sizesTheNetworkCannotTakeAreRefusedWithTheReason() throws {
    var c = Self.configuration(.plain)
    c.layers = 6
    let odd = SyntheticDataset.make(classes: 5, trainPerClass: 20, testPerClass: 5, channels: 1, size: 18, seed: 1)
    #expect(throws: TrainingError.self) {
      _ = try TrainingPhase(configuration: c, runID: "x", train: odd.train, test: odd.test)
    }
    do {
      _ = try TrainingPhase(configuration: c, runID: "x", train: odd.train, test: odd.test)
    } catch {
      #expect("\(error)".contains("multiple of 4"), "\(error)")
    }
  }
}
