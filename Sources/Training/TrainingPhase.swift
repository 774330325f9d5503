import Architecture
import Collectives
import Datasets
import Engine
import Foundation
import Operations
import RunEvents
import RunLoop

/// The training of a found architecture from scratch as a phase of the run loop (DARTS' evaluation phase,
/// `train.py`): the evaluation network of the genotype, SGD with momentum, weight decay and gradient
/// clipping, drop path and the auxiliary head, the recipe's sampling and loss, and the test set after every
/// epoch.
public final class TrainingPhase: RunPhase, @unchecked Sendable {
  public let configuration: TrainingConfiguration
  public let runID: String
  public let data: TrainingData
  public let network: EvaluationNetwork
  public let recipe: TrainingRecipe
  public let tape: Tape
  let optimizer: SGD
  let classWeights: [Float]?
  var samplers: [SamplerRole: Sampler]
  var augmentationGenerator: SplitMix64
  let dropPath: DropPath
  /// The BN running statistics, put back when a step fails.
  let runningStatistics: [RunningStatistics]
  /// mu in force (the bbn recipe).
  var mu: Float = 1
  /// The replicas of a data-parallel run.
  public let replicas: Replicas

  /// The samplers of a training run.
  enum SamplerRole: String, CaseIterable {
    case instance
    case `class`
  }

  /// Prepares a fresh training run on already-loaded data, as one rank of `parallelism` (the whole batch on
  /// one process by default).
  public init(
    configuration: TrainingConfiguration, runID: String, train: ImageDataset, test: ImageDataset,
    parallelism: DataParallelism = .single
  ) throws {
    try configuration.validate()
    if let problem = parallelism.batchProblem(batchSize: configuration.batchSize) {
      throw TrainingError.invalidSetting(problem)
    }
    self.configuration = configuration
    self.runID = runID
    let c = configuration
    recipe = c.resolvedRecipe
    data = try TrainingData(train: train, test: test, configuration: c)
    guard train.width == train.height else {
      throw TrainingError.invalidSetting(
        "the evaluation network needs square images, got \(train.width)x\(train.height)")
    }
    let shape = EvaluationShape(
      channels: c.initChannels, classes: train.classCount, layers: c.layers, inputChannels: train.channels,
      imageSize: train.width, auxiliary: c.auxiliary, heads: recipe.isTwoHead ? 2 : 0, headCells: c.headCells)
    guard let genotype = c.trainedGenotype else {
      throw TrainingError.invalidGenotype(
        "there is no architecture to train: name a search run, or give --genotype or --genotype-file")
    }
    if let problem = EvaluationNetwork.problem(genotype: genotype, shape: shape) {
      throw TrainingError.invalidGenotype(problem)
    }
    let seed = c.data.seed
    network = EvaluationNetwork(genotype: genotype, shape: shape, seed: SplitMix64.derivedSeed(seed, stream: 20))
    tape = Tape(threads: parallelism.threads(configured: c.threads))
    let schedules = c.schedules
    optimizer = SGD(
      parameters: network.weights.map(\.tensor), learningRate: Float(schedules.weightLearningRate.value(progress: 0)),
      momentum: Float(c.momentum), weightDecay: Float(c.weightDecay))
    classWeights =
      recipe == .rw ? ClassWeights.effectiveNumber(counts: data.classCounts, beta: c.classBalanceBeta) : nil
    var samplers: [SamplerRole: Sampler] = [
      .instance: data.sampler(recipe == .rs ? .classBalanced : .uniform, stream: 21, seed: seed)
    ]
    if recipe.isTwoHead { samplers[.class] = data.sampler(.reversed, stream: 22, seed: seed) }
    self.samplers = samplers
    augmentationGenerator = SplitMix64(seed: SplitMix64.derivedSeed(seed, stream: 23))
    dropPath = DropPath(probability: 0, generator: SplitMix64(seed: SplitMix64.derivedSeed(seed, stream: 24)))
    runningStatistics = network.statistics.map(\.statistics)
    replicas = Replicas(parallelism, statistics: runningStatistics, dropPath: dropPath)
  }

  /// The checksum of the weights, equal on every rank of a data-parallel run.
  public var parameterChecksums: [UInt64] { [ParameterChecksum.of(network.weights.map(\.tensor))] }

  public var epochs: Int { configuration.epochs }

  /// Steps per epoch: the configured number, or one pass over the long-tailed training set.
  public var stepsPerEpoch: Int {
    configuration.stepsPerEpoch ?? max(1, data.longTail.count / configuration.batchSize)
  }

  /// The learning rate, drop path and (two heads) mu.
  public var editableTargets: [ScheduleTarget] {
    [.weightLearningRate, .dropPath] + (recipe.isTwoHead ? [.mu] : [])
  }

  public func apply(_ values: ScheduleValues) {
    optimizer.learningRate = Float(values.weightLearningRate)
    dropPath.probability = values.dropPath ?? 0
    mu = recipe.isTwoHead ? Float(values.mu) : 1
  }

  /// One SGD step on a freshly sampled, augmented batch (two for the bbn recipe), all or nothing: when the
  /// loss or the gradient norm is not finite no weight moves and the BN statistics are put back.
  public func step(values: ScheduleValues) -> StepOutcome {
    let batch = nextBatch()
    let statistics = runningStatistics.map { $0.saved() }
    let emulatedStatistics = replicas.savedEmulatedStatistics()
    let context = ForwardContext(tape: tape, training: true, dropPath: dropPath)
    // Per slice: total, main, auxiliary and branch losses, correct count; a slice whose total is not finite
    // runs no backward (the step fails on the summed loss, on every rank alike).
    var parts = (auxiliary: false, branches: false)
    let sums = replicas.reduce(gradientsOf: optimizer.parameters) { rank in
      optimizer.zeroGrad()
      let slice = replicas.slice(batch, rank: rank)
      let loss = network.loss(
        slice, mu: mu, classWeights: classWeights, auxiliaryWeight: Float(configuration.auxiliaryWeight), context)
      let total = loss.total[0]
      if total.isFinite { tape.backward(loss.total) } else { tape.reset() }
      parts = (loss.auxiliary != nil, loss.branches != nil)
      return [
        total, loss.main, loss.auxiliary ?? 0, loss.branches?.instance ?? 0, loss.branches?.class ?? 0,
        Float(Classification.trainingCorrect(loss.logits, slice, mu: mu)),
      ]
    }
    let ranks = Float(replicas.worldSize)
    let images = configuration.batchSize * (recipe.isTwoHead ? 2 : 1)
    var outcome = StepOutcome(
      trainLoss: Double(sums[1] / ranks), auxiliaryLoss: parts.auxiliary ? Double(sums[2] / ranks) : nil,
      instanceLoss: parts.branches ? Double(sums[3] / ranks) : nil,
      classLoss: parts.branches ? Double(sums[4] / ranks) : nil, correct: 0, seen: configuration.batchSize,
      images: images)
    func failed(_ reason: String) -> StepOutcome {
      tape.reset()
      for (running, saved) in zip(runningStatistics, statistics) { running.restore(saved) }
      replicas.restoreEmulatedStatistics(emulatedStatistics)
      outcome.failure = reason
      return outcome
    }
    let total = sums[0] / ranks
    guard total.isFinite else { return failed("training loss is \(StepOutcome.describe(Double(total)))") }
    outcome.correct = Double(sums[5])
    let norm = clipGradientNorm(optimizer.parameters, maxNorm: Float(configuration.gradientClip))
    guard norm.isFinite else { return failed("the gradient's norm is \(StepOutcome.describe(Double(norm)))") }
    optimizer.step()
    return outcome
  }

  func nextBatch() -> Batch {
    let size = configuration.batchSize
    let instanceIndices = samplers[.instance]!.nextBatch(size: size)
    let x = data.batch(instanceIndices, generator: &augmentationGenerator)
    guard samplers[.class] != nil else { return Batch(input: x, targets: data.train.labels(of: instanceIndices)) }
    let classIndices = samplers[.class]!.nextBatch(size: size)
    let xc = data.batch(classIndices, generator: &augmentationGenerator)
    return Batch(
      input: x, targets: data.train.labels(of: instanceIndices), classInput: xc,
      classTargets: data.train.labels(of: classIndices))
  }

  /// The test set in evaluation mode (running statistics, no auxiliary head, no drop path; two heads at mu
  /// = 0.5 on the same image).
  public func evaluate(epoch: Int, train: SplitMetrics, values: ScheduleValues, seconds: Double) -> EpochReport {
    let test = Classification.evaluate(
      on: data.test, indices: data.testIndices, classCount: data.train.classCount, tape: tape
    ) { x in network.forward(x, mu: 0.5, ForwardContext(tape: tape, training: false)).logits }
    var groups: [String: Double] = [:]
    for (group, accuracy) in data.shotGroups.accuracies(correct: test.correct, total: test.total) {
      groups[group.rawValue] = accuracy
    }
    return EpochReport(
      epoch: epoch, train: train, validation: nil, test: test.metrics, perClassAccuracy: test.perClassAccuracy,
      groupAccuracy: groups, alphas: [:], genotypes: [:], values: values, seconds: seconds)
  }

  /// The `started` event of this run.
  public func started(startEpoch: Int, schedules: Schedules) -> RunStarted {
    let c = configuration
    return RunStarted(
      runID: runID, method: c.method?.rawValue ?? "train", dataset: c.data.dataset.rawValue,
      imbalanceRatio: c.data.imbalanceRatio, epochs: c.epochs, stepsPerEpoch: stepsPerEpoch, batchSize: c.batchSize,
      seed: c.data.seed, components: network.genotype.cells.map(\.component), primitives: Primitive.allCases,
      classNames: classNames, classCounts: data.classCounts, shotGroups: data.shotGroups.groups.map(\.rawValue),
      schedules: schedules, configuration: c.tomlText(), startEpoch: startEpoch, phase: .training,
      genotype: network.genotype.pythonText, parameterCount: network.parameterCount, recipe: recipe.rawValue,
      sourceRun: c.sourceRun, sourceEpoch: c.sourceEpoch)
  }

  /// The data set's class names, or numbers when it has more classes than names.
  var classNames: [String] {
    let names = configuration.data.dataset.classNames
    return names.count == data.train.classCount ? names : (0..<data.train.classCount).map(String.init)
  }
}
