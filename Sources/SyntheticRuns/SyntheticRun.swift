import Architecture
import Foundation
import RunEvents

/// A deterministic, realistic search run as events, for benchmarks, demos and tests: steps with noisy,
/// decaying losses, epochs with softmaxed alphas that drift toward a favourite op per edge, genotypes derived
/// from them as DARTS does, per-class and shot-group accuracies, and optionally user pauses, schedule edits,
/// and a run that was killed mid-epoch and resumed from its last checkpoint.
///
/// Everything comes from a fixed linear congruential generator, so the same settings give the same events.
public struct SyntheticRun: Sendable {
  public var runID = "hls-20250101-0412"
  public var method = "hls"
  public var dataset = "cifar10-lt"
  public var imbalanceRatio = 100.0
  /// Epochs planned.
  public var epochs = 10
  /// Epochs that have finished (and have reports); the run ends after them.
  public var finishedEpochs = 3
  public var stepsPerEpoch = 10
  public var batchSize = 64
  public var seed: UInt64 = 7
  /// The two-head (BBN) network: four components and branch losses.
  public var twoHead = true
  public var classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
  public var schedules = Schedules(
    weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: .cosine(from: 1, to: 0), architectureLearningRate: 3e-4,
    multipliers: [.backbone: .mu, .instance: .mu, .class: .oneMinusMu])
  /// Global steps before which the user paused and resumed.
  public var pauses: [Int] = []
  /// Schedule edits, each applied before the step at its global step.
  public var edits: [(globalStep: Int, edit: ScheduleEdit)] = []
  /// How the alphas move.
  public var alphas = AlphaDrift.pronounced
  /// A kill after `steps` steps into the epoch that follows `afterEpoch` (counted from 0), then a resume
  /// from the checkpoint of `afterEpoch`: the interrupted steps are in the log and run again.
  public var interruption: (afterEpoch: Int, steps: Int)?
  /// Whether the run ends with a `finished` event (when all planned epochs are done, or after a stop).
  public var ends = false

  /// How far the softmaxed alphas are from uniform.
  public struct AlphaDrift: Sendable {
    /// Logit noise around zero (uniform in +- noise/2).
    public var noise: Double
    /// Logit gained per epoch by each edge's favourite op.
    public var gainPerEpoch: Double

    public init(noise: Double, gainPerEpoch: Double) {
      self.noise = noise
      self.gainPerEpoch = gainPerEpoch
    }

    /// Clear favourites within a few epochs (weights up to about 0.3).
    public static let pronounced = AlphaDrift(noise: 0.6, gainPerEpoch: 0.4)
    /// What a real DARTS search shows: every weight stays between about 0.11 and 0.15.
    public static let darts = AlphaDrift(noise: 0.12, gainPerEpoch: 0.04)
  }

  public init() {}

  /// The searched components.
  public var components: [ArchitectureComponent] { twoHead ? ArchitectureComponent.allCases : [.normal, .reduce] }

  /// Long-tailed counts n_i = floor(5000 rho^(-i/(C-1))).
  public var classCounts: [Int] {
    let c = classNames.count
    return (0..<c).map { Int(floor(5000 * pow(imbalanceRatio, -Double($0) / Double(max(c - 1, 1))))) }
  }

  /// Thirds of the classes by count: many, medium (the larger middle third), few.
  public var shotGroups: [String] {
    let c = classNames.count
    return (0..<c).map { $0 < c / 3 ? "many" : ($0 < c - c / 3 ? "medium" : "few") }
  }

  /// The `started` event (at `startEpoch` for a resumed segment).
  public func started(startEpoch: Int = 0, schedules: Schedules? = nil) -> RunStarted {
    RunStarted(
      runID: runID, method: method, dataset: dataset, imbalanceRatio: imbalanceRatio, epochs: epochs,
      stepsPerEpoch: stepsPerEpoch, batchSize: batchSize, seed: seed, components: components,
      primitives: Primitive.allCases, classNames: classNames, classCounts: classCounts, shotGroups: shotGroups,
      schedules: schedules ?? self.schedules, configuration: "method = \"\(method)\"\n", startEpoch: startEpoch)
  }

  /// A deterministic generator of uniform numbers in [0, 1).
  struct Generator {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
  }

  /// The favourite op of each edge of a component.
  static func favourite(_ component: ArchitectureComponent, edge: Int) -> Primitive {
    switch component {
    case .normal: edge % 3 == 0 ? .sep_conv_5x5 : .sep_conv_3x3
    case .reduce: edge % 2 == 0 ? .max_pool_3x3 : .sep_conv_3x3
    case .instance: edge % 4 == 0 ? .sep_conv_3x3 : .skip_connect
    case .class: edge % 3 == 0 ? .dil_conv_3x3 : .none
    }
  }

  /// Softmaxed alphas [edges][primitives] of `component` at `epoch`.
  public func alphas(_ component: ArchitectureComponent, epoch: Int) -> [[Double]] {
    let index = ArchitectureComponent.allCases.firstIndex(of: component)!
    var generator = Generator(state: UInt64(100 * epoch + index))
    return (0..<CellTopology.darts.edgeCount).map { edge in
      let logits = Primitive.allCases.map { op in
        (generator.next() - 0.5) * alphas.noise
          + (op == Self.favourite(component, edge: edge) ? alphas.gainPerEpoch * Double(epoch + 1) : 0)
      }
      let m = logits.max()!
      let e = logits.map { exp($0 - m) }
      let sum = e.reduce(0, +)
      return e.map { $0 / sum }
    }
  }

  /// The report of `epoch` under `schedules`.
  public func epochReport(_ epoch: Int, schedules: Schedules? = nil) -> EpochReport {
    var alphas: [ArchitectureComponent: [[Double]]] = [:]
    var genotypes: [ArchitectureComponent: CellGenotype] = [:]
    for component in components {
      let a = self.alphas(component, epoch: epoch)
      alphas[component] = a
      genotypes[component] = GenotypeDerivation.derive(weights: a)
    }
    let overall = 0.32 + 0.06 * Double(epoch)
    let perClass = classNames.indices.map { max(0, overall + 0.35 - 0.07 * Double($0) + 0.01 * Double(epoch)) }
    return EpochReport(
      epoch: epoch, train: SplitMetrics(loss: 1.9 - 0.2 * Double(epoch), accuracy: 0.35 + 0.05 * Double(epoch)),
      validation: SplitMetrics(loss: 2.0 - 0.15 * Double(epoch), accuracy: 0.3 + 0.05 * Double(epoch)),
      test: SplitMetrics(loss: 2.1 - 0.15 * Double(epoch), accuracy: overall), perClassAccuracy: perClass,
      groupAccuracy: ["many": overall + 0.27, "medium": overall + 0.02, "few": max(overall - 0.25, 0)],
      alphas: alphas, genotypes: genotypes, values: (schedules ?? self.schedules).values(epoch: epoch, of: epochs),
      seconds: 42 + Double(epoch))
  }

  /// The events in order.
  public func events() -> [RunEvent] {
    var events: [RunEvent] = [.started(started())]
    var current = schedules
    var generator = Generator(state: 42)
    var checkpointSchedules = schedules
    var epoch = 0
    var interrupted = false
    while epoch < finishedEpochs {
      let killAfter = interruption.flatMap { !interrupted && $0.afterEpoch + 1 == epoch ? $0.steps : nil }
      for step in 0..<stepsPerEpoch {
        if let killAfter, step == killAfter { break }
        let g = epoch * stepsPerEpoch + step
        if pauses.contains(g) {
          events.append(.control(ControlApplied(command: .pause, epoch: epoch, globalStep: g)))
          events.append(.control(ControlApplied(command: .resume, epoch: epoch, globalStep: g)))
        }
        for (at, edit) in edits where at == g {
          events.append(
            .control(
              ControlApplied(
                command: .edit(edit), epoch: epoch, globalStep: g, previous: current.curve(for: edit.target))))
          try? current.apply(edit)
        }
        let t = Double(g)
        let train = 2.3 * exp(-t / 25) + 0.6 + (generator.next() - 0.5) * 0.25
        let validation = 2.35 * exp(-t / 30) + 0.7 + (generator.next() - 0.5) * 0.25
        events.append(
          .step(
            StepReport(
              epoch: epoch, step: step, globalStep: g, trainLoss: train, validationLoss: validation,
              trainLossInstance: twoHead ? train * 0.8 + 0.05 : nil, trainLossClass: twoHead ? train * 1.3 : nil,
              values: current.values(epoch: epoch, of: epochs), imagesPerSecond: 410 + 20 * generator.next())))
      }
      if killAfter != nil {
        // Killed mid-epoch: the resumed process starts again from the last checkpoint.
        interrupted = true
        current = checkpointSchedules
        events.append(.started(started(startEpoch: epoch, schedules: current)))
        continue
      }
      events.append(.epoch(epochReport(epoch, schedules: current)))
      events.append(
        .checkpoint(
          CheckpointWritten(epoch: epoch, path: String(format: "checkpoints/epoch-%03d.safetensors", epoch + 1))))
      checkpointSchedules = current
      epoch += 1
    }
    if ends {
      let reports = (0..<finishedEpochs).map { epochReport($0) }
      let best = reports.max { $0.test.accuracy < $1.test.accuracy }
      events.append(
        .finished(
          RunFinished(
            epochs: finishedEpochs, bestTestAccuracy: best?.test.accuracy ?? 0, bestEpoch: best?.epoch ?? -1,
            stopped: finishedEpochs < epochs)))
    }
    return events
  }
}
