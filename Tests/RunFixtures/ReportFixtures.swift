import Architecture
import Foundation
import RunEvents
import RunStore

/// Realistic event logs for the summary, report and export tests, written with `EventLogWriter`.
public enum ReportFixtures {

  public static func schedules(twoHead: Bool) -> Schedules {
    Schedules(
      weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: twoHead ? .cosine(from: 1, to: 0) : .constant(1),
      architectureLearningRate: 3e-4,
      multipliers: twoHead ? [.backbone: .mu, .instance: .mu, .class: .oneMinusMu] : [:])
  }

  public static func started(
    id: String, method: String, twoHead: Bool, epochs: Int, stepsPerEpoch: Int = 2, startEpoch: Int = 0
  ) -> RunStarted {
    RunStarted(
      runID: id, method: method, dataset: "synthetic", imbalanceRatio: 100, epochs: epochs,
      stepsPerEpoch: stepsPerEpoch, batchSize: 8, seed: 1,
      components: twoHead ? ArchitectureComponent.allCases : [.normal, .reduce], primitives: Primitive.allCases,
      classNames: (0..<6).map(String.init), classCounts: [100, 40, 16, 6, 3, 1],
      shotGroups: ["many", "many", "medium", "medium", "few", "few"], schedules: schedules(twoHead: twoHead),
      configuration: "method = \"\(method)\"\n", startEpoch: startEpoch)
  }

  /// A DARTS genotype: two edges per node, concat 2...5.
  public static let genotype = CellGenotype(
    edges: [
      (Primitive.sep_conv_3x3, 0), (.sep_conv_3x3, 1), (.skip_connect, 0), (.sep_conv_5x5, 2), (.dil_conv_3x3, 1),
      (.skip_connect, 3), (.max_pool_3x3, 0), (.dil_conv_5x5, 4),
    ].map { GenotypeEdge(op: $0.0, input: $0.1) }, concat: [2, 3, 4, 5])

  /// Softmaxed alphas [14][8] that change with the epoch.
  public static func alphas(epoch: Int, salt: Int) -> [[Double]] {
    (0..<14).map { edge in
      let raw = (0..<8).map { op in sin(Double(edge * 8 + op + salt) + Double(epoch) * 0.7) * Double(epoch + 1) * 0.4 }
      let exps = raw.map { exp($0) }
      let sum = exps.reduce(0, +)
      return exps.map { $0 / sum }
    }
  }

  public static func epoch(
    _ epoch: Int, accuracy: Double, groups: [Double]? = nil, twoHead: Bool, epochs: Int,
    genotypes: [ArchitectureComponent: CellGenotype]? = nil
  ) -> EpochReport {
    let components: [ArchitectureComponent] = twoHead ? ArchitectureComponent.allCases : [.normal, .reduce]
    var alphas: [ArchitectureComponent: [[Double]]] = [:]
    var kept: [ArchitectureComponent: CellGenotype] = [:]
    for (index, component) in components.enumerated() {
      alphas[component] = Self.alphas(epoch: epoch, salt: index * 3)
      kept[component] = genotypes?[component] ?? genotype
    }
    let g = groups ?? [accuracy + 0.1, accuracy, accuracy - 0.1]
    return EpochReport(
      epoch: epoch, train: SplitMetrics(loss: 2 - Double(epoch) * 0.1, accuracy: 0.3 + Double(epoch) * 0.05),
      validation: SplitMetrics(loss: 2.1 - Double(epoch) * 0.1, accuracy: 0.25 + Double(epoch) * 0.05),
      test: SplitMetrics(loss: 2.2 - Double(epoch) * 0.1, accuracy: accuracy),
      perClassAccuracy: [0.9, 0.8, 0.6, 0.5, 0.3, 0.1],
      groupAccuracy: ["many": g[0], "medium": g[1], "few": g[2]], alphas: alphas, genotypes: kept,
      values: schedules(twoHead: twoHead).values(epoch: epoch, of: epochs), seconds: 1.5)
  }

  public static func steps(epoch: Int, count: Int, twoHead: Bool, epochs: Int) -> [RunEvent] {
    (0..<count).map { step in
      .step(
        StepReport(
          epoch: epoch, step: step, globalStep: epoch * count + step, trainLoss: 2.3 - Double(epoch) * 0.1,
          validationLoss: 2.4 - Double(epoch) * 0.1, trainLossInstance: twoHead ? 2.2 : nil,
          trainLossClass: twoHead ? 2.5 : nil, values: schedules(twoHead: twoHead).values(epoch: epoch, of: epochs),
          imagesPerSecond: 120))
    }
  }

  /// A complete run: started, steps and epochs with the given test accuracies, finished.
  public static func completeRun(id: String, method: String, twoHead: Bool, accuracies: [Double]) -> [RunEvent] {
    let epochs = accuracies.count
    var events: [RunEvent] = [.started(started(id: id, method: method, twoHead: twoHead, epochs: epochs))]
    for (e, accuracy) in accuracies.enumerated() {
      events += steps(epoch: e, count: 2, twoHead: twoHead, epochs: epochs)
      events.append(.epoch(epoch(e, accuracy: accuracy, twoHead: twoHead, epochs: epochs)))
      events.append(.checkpoint(CheckpointWritten(epoch: e, path: "checkpoints/epoch-00\(e + 1).safetensors")))
    }
    let best = accuracies.indices.max { accuracies[$0] < accuracies[$1] } ?? 0
    events.append(
      .finished(
        RunFinished(epochs: epochs, bestTestAccuracy: accuracies[best], bestEpoch: best, stopped: false)))
    return events
  }

  /// A complete training run (`tailnas train`) of `genotype` (two heads with `twoHead`, the bbn recipe) from
  /// search run `source`'s epoch `sourceEpoch`: steps with the auxiliary loss and a drop path ramping from 0,
  /// epochs without a validation split and with the given test accuracies, finished.
  public static func trainingRun(
    id: String, source: String?, sourceEpoch: Int? = nil, twoHead: Bool, accuracies: [Double]
  ) -> [RunEvent] {
    let epochs = accuracies.count
    let cells = Genotype(
      normal: genotype, reduce: genotype, instance: twoHead ? genotype : nil, class: twoHead ? genotype : nil)
    var plan = schedules(twoHead: twoHead)
    plan.dropPath = .linear(from: 0, to: 0.2)
    let started = RunStarted(
      runID: id, method: twoHead ? "hls" : "darts", dataset: "synthetic", imbalanceRatio: 100, epochs: epochs,
      stepsPerEpoch: 2, batchSize: 8, seed: 1, components: cells.cells.map(\.component),
      primitives: Primitive.allCases, classNames: (0..<6).map(String.init), classCounts: [100, 40, 16, 6, 3, 1],
      shotGroups: ["many", "many", "medium", "medium", "few", "few"], schedules: plan,
      configuration: "phase = \"training\"\n", startEpoch: 0, phase: .training, genotype: cells.pythonText,
      parameterCount: 123_456, recipe: twoHead ? "bbn" : "plain", sourceRun: source, sourceEpoch: sourceEpoch)
    var events: [RunEvent] = [.started(started)]
    for (e, accuracy) in accuracies.enumerated() {
      let values = plan.values(epoch: e, of: epochs)
      for step in 0..<2 {
        events.append(
          .step(
            StepReport(
              epoch: e, step: step, globalStep: e * 2 + step, trainLoss: 2 - Double(e) * 0.2, validationLoss: nil,
              auxiliaryLoss: 2.1 - Double(e) * 0.2, trainLossInstance: twoHead ? 1.9 : nil,
              trainLossClass: twoHead ? 2.2 : nil, values: values, imagesPerSecond: 300)))
      }
      events.append(
        .epoch(
          EpochReport(
            epoch: e, train: SplitMetrics(loss: 1.8 - Double(e) * 0.2, accuracy: 0.4 + Double(e) * 0.1),
            validation: nil, test: SplitMetrics(loss: 1.9 - Double(e) * 0.2, accuracy: accuracy),
            perClassAccuracy: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
            groupAccuracy: ["many": accuracy + 0.1, "medium": accuracy, "few": accuracy - 0.1], alphas: [:],
            genotypes: [:], values: values, seconds: 30)))
    }
    let best = accuracies.indices.max { accuracies[$0] < accuracies[$1] } ?? 0
    events.append(
      .finished(
        RunFinished(epochs: epochs, bestTestAccuracy: accuracies[best], bestEpoch: best, stopped: false)))
    return events
  }

  /// Writes a run directory `runs/id` holding `config.toml` and `events.jsonl` with `events`.
  @discardableResult
  public static func write(_ events: [RunEvent], id: String, in runs: URL) throws -> RunDirectory {
    let url = runs.appendingPathComponent(id)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    try "method = 'x'\n".write(to: url.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let writer = try EventLogWriter(path: url.appendingPathComponent("events.jsonl").path)
    for event in events { try writer.emit(event) }
    return try RunDirectory.open(url.path, runsDirectory: runs)
  }
}
