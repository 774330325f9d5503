import Foundation
import RunEvents

/// Measures how long rendering a frame takes, for `tailnas bench` or a quick check in a release build.
public enum DashboardBenchmark {
  /// The result of a benchmark.
  public struct Result: Sendable, Equatable {
    public var size: TerminalSize
    public var frames: Int
    /// Mean wall time of `DashboardRenderer.render` plus the diff against the previous frame.
    public var millisecondsPerFrame: Double
    /// Steps in the synthetic history.
    public var steps: Int
  }

  /// Renders `frames` frames of a synthetic 50-epoch, 20 000-step four-component run at `size` (after a
  /// warm-up frame), alternating the scrubbed epoch so each frame differs, and returns the mean time.
  public static func run(size: TerminalSize = TerminalSize(width: 200, height: 60), frames: Int = 200) -> Result {
    var model = DashboardModel(mode: .replay, size: size)
    let events = SyntheticRun.events(epochs: 50, stepsPerEpoch: 400)
    model.apply(events)
    var buffer = ScreenBuffer(width: size.width, height: size.height)
    DashboardRenderer.render(model, into: &buffer)
    var previous = buffer
    var runs = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for frame in 0..<max(frames, 1) {
      _ = model.update(frame % 2 == 0 ? .left : .right)
      DashboardRenderer.render(model, into: &buffer)
      runs += buffer.changes(from: previous).count
      previous = buffer
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    precondition(runs >= 0)
    return Result(
      size: size, frames: max(frames, 1), millisecondsPerFrame: elapsed / Double(max(frames, 1)),
      steps: model.data.history.count)
  }
}

/// A deterministic synthetic run (HLS, four components, CIFAR-10-LT) of any length, for benchmarks and demos.
public enum SyntheticRun {
  /// The events of a run of `epochs` epochs of `stepsPerEpoch` steps, with a pause and an edit half-way.
  public static func events(epochs: Int, stepsPerEpoch: Int) -> [RunEvent] {
    let primitives = [
      "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
      "dil_conv_5x5",
    ]
    var schedules = Schedules(
      weightLearningRate: .cosine(from: 0.025, to: 0.001), mu: .cosine(from: 1, to: 0), architectureLearningRate: 3e-4,
      architectureMultipliers: [.normal: .mu, .reduce: .mu, .instance: .mu, .class: .oneMinusMu])
    let counts = (0..<10).map { Int(5000 * pow(100, -Double($0) / 9)) }
    var events: [RunEvent] = [
      .started(
        RunStarted(
          runID: "synthetic", method: "hls", dataset: "cifar10-lt", imbalanceRatio: 100, epochs: epochs,
          stepsPerEpoch: stepsPerEpoch, batchSize: 64, seed: 0, components: [.normal, .reduce, .instance, .class],
          primitives: primitives, classNames: (0..<10).map { "class \($0)" }, classCounts: counts,
          shotGroups: ["many", "many", "many", "medium", "medium", "medium", "medium", "few", "few", "few"],
          schedules: schedules, configuration: ""))
    ]
    var state: UInt64 = 1
    func random() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    for epoch in 0..<epochs {
      for step in 0..<stepsPerEpoch {
        let g = epoch * stepsPerEpoch + step
        if g == epochs * stepsPerEpoch / 2 {
          events.append(.control(ControlApplied(command: .pause, epoch: epoch, globalStep: g)))
          events.append(.control(ControlApplied(command: .resume, epoch: epoch, globalStep: g)))
          let edit = ScheduleEdit(target: .mu, curve: .linear(from: 1, to: 0.2))
          events.append(
            .control(ControlApplied(command: .edit(edit), epoch: epoch, globalStep: g, previous: schedules.mu)))
          try? schedules.apply(edit)
        }
        let t = Double(g) / Double(epochs * stepsPerEpoch)
        let loss = 2.3 * exp(-3 * t) + 0.4 + 0.2 * (random() - 0.5)
        events.append(
          .step(
            StepReport(
              epoch: epoch, step: step, globalStep: g, trainLoss: loss, validationLoss: loss + 0.1,
              trainLossInstance: loss * 0.8, trainLossClass: loss * 1.3,
              values: schedules.values(epoch: epoch, of: epochs),
              imagesPerSecond: 400 + 50 * random())))
      }
      var alphas: [ArchitectureComponent: [[Double]]] = [:]
      var genotypes: [ArchitectureComponent: Genotype] = [:]
      for component in ArchitectureComponent.allCases {
        alphas[component] = (0..<14).map { _ in
          let raw = (0..<8).map { _ in exp(random()) }
          let sum = raw.reduce(0, +)
          return raw.map { $0 / sum }
        }
        genotypes[component] = Genotype(
          edges: (0..<8).map { GenotypeEdge(op: primitives[1 + $0 % 7], input: $0 % 2) }, concat: [2, 3, 4, 5])
      }
      let accuracy = 0.2 + 0.5 * Double(epoch) / Double(max(epochs, 1))
      events.append(
        .epoch(
          EpochReport(
            epoch: epoch, train: SplitMetrics(loss: 1, accuracy: accuracy),
            validation: SplitMetrics(loss: 1, accuracy: accuracy),
            test: SplitMetrics(loss: 1, accuracy: accuracy),
            perClassAccuracy: (0..<10).map { accuracy * (1 - 0.05 * Double($0)) },
            groupAccuracy: ["many": accuracy + 0.2, "medium": accuracy, "few": accuracy - 0.15], alphas: alphas,
            genotypes: genotypes, values: schedules.values(epoch: epoch, of: epochs), seconds: 60)))
    }
    return events
  }
}
