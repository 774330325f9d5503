import Foundation
import RunEvents

/// A realistic synthetic run for the tests: an HLS search on long-tailed CIFAR-10 with four searched
/// components, 10 steps a epoch, 3 finished epochs of 10 planned, a user pause at step 14 and an edit of mu
/// at step 22. Deterministic (a fixed linear congruential generator).
enum RecordedRun {
  static let primitives = [
    "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
    "dil_conv_5x5",
  ]
  static let classNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
  static let schedules = Schedules(
    weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: .cosine(from: 1, to: 0), architectureLearningRate: 3e-4,
    architectureMultipliers: [.normal: .mu, .reduce: .mu, .instance: .mu, .class: .oneMinusMu])
  static let muEdit = ScheduleEdit(target: .mu, curve: .linear(from: 1, to: 0.2))

  static var started: RunStarted {
    let counts = (0..<10).map { Int(floor(5000 * pow(100, -Double($0) / 9))) }
    return RunStarted(
      runID: "hls-20250101-0412", method: "hls", dataset: "cifar10-lt", imbalanceRatio: 100, epochs: 10,
      stepsPerEpoch: 10, batchSize: 64, seed: 7, components: [.normal, .reduce, .instance, .class],
      primitives: primitives, classNames: classNames, classCounts: counts,
      shotGroups: ["many", "many", "many", "medium", "medium", "medium", "medium", "few", "few", "few"],
      schedules: schedules, configuration: "method = \"hls\"\n")
  }

  struct Generator {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
  }

  /// Softmaxed alphas of 14 edges; `favourite` gains weight with the epoch.
  static func alphas(favourite: (Int) -> Int, epoch: Int, seed: UInt64) -> [[Double]] {
    var generator = Generator(state: seed)
    return (0..<14).map { edge in
      let logits = (0..<8).map { op in
        (generator.next() - 0.5) * 0.6 + (op == favourite(edge) ? 0.4 * Double(epoch + 1) : 0)
      }
      let m = logits.max()!
      let e = logits.map { exp($0 - m) }
      let sum = e.reduce(0, +)
      return e.map { $0 / sum }
    }
  }

  /// DARTS genotype derivation: per node the two inputs with the strongest non-`none` op.
  static func genotype(_ alphas: [[Double]]) -> Genotype {
    var edges: [GenotypeEdge] = []
    var start = 0
    for node in 0..<4 {
      let inputs = node + 2
      let rows = Array(alphas[start..<start + inputs])
      let best = rows.indices.sorted { rows[$0].dropFirst().max()! > rows[$1].dropFirst().max()! }.prefix(2).sorted()
      for input in best {
        let op = rows[input].indices.dropFirst().max { rows[input][$0] < rows[input][$1] }!
        edges.append(GenotypeEdge(op: primitives[op], input: input))
      }
      start += inputs
    }
    return Genotype(edges: edges, concat: [2, 3, 4, 5])
  }

  static func epochReport(_ epoch: Int, schedules: Schedules) -> EpochReport {
    let favourites: [ArchitectureComponent: (Int) -> Int] = [
      .normal: { $0 % 3 == 0 ? 5 : 4 },
      .reduce: { $0 % 2 == 0 ? 1 : 4 },
      .instance: { $0 % 4 == 0 ? 4 : 3 },
      .class: { $0 % 3 == 0 ? 6 : 0 },
    ]
    var alphas: [ArchitectureComponent: [[Double]]] = [:]
    var genotypes: [ArchitectureComponent: Genotype] = [:]
    for (i, component) in ArchitectureComponent.allCases.enumerated() {
      let a = Self.alphas(favourite: favourites[component]!, epoch: epoch, seed: UInt64(100 * epoch + i))
      alphas[component] = a
      genotypes[component] = genotype(a)
    }
    let overall = 0.32 + 0.06 * Double(epoch)
    let perClass = (0..<10).map { max(0, overall + 0.35 - 0.07 * Double($0) + 0.01 * Double(epoch)) }
    return EpochReport(
      epoch: epoch, train: SplitMetrics(loss: 1.9 - 0.2 * Double(epoch), accuracy: 0.35 + 0.05 * Double(epoch)),
      validation: SplitMetrics(loss: 2.0 - 0.15 * Double(epoch), accuracy: 0.3 + 0.05 * Double(epoch)),
      test: SplitMetrics(loss: 2.1 - 0.15 * Double(epoch), accuracy: overall), perClassAccuracy: perClass,
      groupAccuracy: ["many": overall + 0.27, "medium": overall + 0.02, "few": max(overall - 0.25, 0)],
      alphas: alphas, genotypes: genotypes, values: schedules.values(epoch: epoch, of: 10), seconds: 42 + Double(epoch))
  }

  /// The events in order.
  static func events() -> [RunEvent] {
    var events: [RunEvent] = [.started(started)]
    var current = schedules
    var generator = Generator(state: 42)
    for epoch in 0..<3 {
      for step in 0..<10 {
        let g = epoch * 10 + step
        if g == 14 {
          events.append(.control(ControlApplied(command: .pause, epoch: 1, globalStep: 14)))
          events.append(.control(ControlApplied(command: .resume, epoch: 1, globalStep: 14)))
        }
        if g == 22 {
          events.append(
            .control(ControlApplied(command: .edit(muEdit), epoch: 2, globalStep: 22, previous: current.mu)))
          try! current.apply(muEdit)
        }
        let t = Double(g)
        let train = 2.3 * exp(-t / 25) + 0.6 + (generator.next() - 0.5) * 0.25
        let validation = 2.35 * exp(-t / 30) + 0.7 + (generator.next() - 0.5) * 0.25
        let values = current.values(epoch: epoch, of: 10)
        events.append(
          .step(
            StepReport(
              epoch: epoch, step: step, globalStep: g, trainLoss: train, validationLoss: validation,
              trainLossInstance: train * 0.8 + 0.05, trainLossClass: train * 1.3, values: values,
              imagesPerSecond: 410 + 20 * generator.next())))
      }
      events.append(.epoch(epochReport(epoch, schedules: current)))
    }
    return events
  }
}
