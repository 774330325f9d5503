import Architecture
import Collectives
import Datasets
import Engine
import Foundation
import Operations
import RunEvents
import RunLoop

/// The architecture search as a phase of the run loop: the DARTS (or two-head BBN) search network, its
/// weight and architecture optimizers, the search data with its samplers, one search step per loop step,
/// and the evaluation of the architecture half and the test set after every epoch.
public final class SearchPhase: RunPhase, @unchecked Sendable {
  public let configuration: SearchConfiguration
  public let runID: String
  public let data: SearchData
  public let network: SearchNetwork
  let step: SearchStep
  let classWeights: [Float]?
  var samplers: [SamplerRole: Sampler]
  var augmentationGenerator: SplitMix64

  /// The samplers of a search, by half and branch.
  enum SamplerRole: String, CaseIterable {
    case weightInstance = "weight_instance"
    case weightClass = "weight_class"
    case architectureInstance = "architecture_instance"
    case architectureClass = "architecture_class"
  }

  /// Prepares a fresh search on already-loaded data, as one rank of `parallelism` (the whole batch on one
  /// process by default).
  public init(
    configuration: SearchConfiguration, runID: String, train: ImageDataset, test: ImageDataset,
    parallelism: DataParallelism = .single
  ) throws {
    try configuration.validate()
    if let problem = parallelism.batchProblem(batchSize: configuration.batchSize) {
      throw SearchError.invalidSetting(problem)
    }
    self.configuration = configuration
    self.runID = runID
    let c = configuration
    data = try SearchData(train: train, test: test, configuration: c)
    for side in Set([train.width, train.height]) {
      if let problem = Reductions.sizeProblem(imageSize: side, layers: c.layers) {
        throw SearchError.invalidSetting(problem)
      }
    }
    let shape = NetworkShape(
      channels: c.initChannels, classes: train.classCount, layers: c.layers, inputChannels: train.channels,
      heads: c.method.isTwoHead ? 2 : 0, headCells: c.headCells)
    network = SearchNetwork(shape: shape, seed: SplitMix64.derivedSeed(c.data.seed, stream: 3))
    let tape = Tape(threads: parallelism.threads(configured: c.threads))
    let schedules = c.schedules
    let architect = Architect(
      network: network, learningRate: Float(schedules.architectureLearningRate), beta1: Float(c.architectureBeta1),
      beta2: Float(c.architectureBeta2), weightDecay: Float(c.architectureWeightDecay))
    step = SearchStep(
      network: network, architect: architect,
      weightLearningRate: Float(schedules.weightLearningRate.value(progress: 0)), momentum: Float(c.momentum),
      weightDecay: Float(c.weightDecay), gradientClip: Float(c.gradientClip), tape: tape)
    step.architect.replicas = Replicas(parallelism, statistics: network.statistics.map(\.statistics))
    classWeights =
      c.method.reweightsLoss
      ? ClassWeights.effectiveNumber(counts: data.classCounts, beta: c.classBalanceBeta) : nil
    let seed = c.data.seed
    let instanceKind = c.method.instanceSampler
    var samplers: [SamplerRole: Sampler] = [
      .weightInstance: data.sampler(instanceKind, over: data.weightHalf, stream: 10, seed: seed),
      .architectureInstance: data.sampler(instanceKind, over: data.architectureHalf, stream: 11, seed: seed),
    ]
    if c.method.isTwoHead {
      samplers[.weightClass] = data.sampler(.reversed, over: data.weightHalf, stream: 12, seed: seed)
      samplers[.architectureClass] = data.sampler(.reversed, over: data.architectureHalf, stream: 13, seed: seed)
    }
    self.samplers = samplers
    augmentationGenerator = SplitMix64(seed: SplitMix64.derivedSeed(seed, stream: 4))
  }

  /// The tape the search runs on.
  public var tape: Tape { step.tape }

  /// Ranks in the run (one unless data-parallel).
  public var worldSize: Int { step.replicas.worldSize }

  /// The checksums of the weights and of the alphas, equal on every rank of a data-parallel run.
  public var parameterChecksums: [UInt64] {
    [
      ParameterChecksum.of(network.weights.map(\.tensor)),
      ParameterChecksum.of(network.architectureParameters.map(\.tensor)),
    ]
  }

  public var epochs: Int { configuration.epochs }

  /// Steps per epoch: the configured number, or one pass over the weight half.
  public var stepsPerEpoch: Int {
    configuration.stepsPerEpoch ?? max(1, data.weightHalf.count / configuration.batchSize)
  }

  /// mu, the weight learning rate and the multiplier of each searched part.
  public var editableTargets: [ScheduleTarget] {
    let parts = ArchitecturePart.allCases.filter { part in network.shape.components.contains { $0.part == part } }
    return [.mu, .weightLearningRate] + parts.map { .architectureMultiplier($0) }
  }

  /// Sets the optimizers' learning rates from the schedule values in force.
  public func apply(_ values: ScheduleValues) {
    step.weightOptimizer.learningRate = Float(values.weightLearningRate)
    var rates: [ArchitectureComponent: Float] = [:]
    for (component, rate) in values.architectureLearningRates { rates[component] = Float(rate) }
    step.architect.setLearningRates(rates)
  }

  /// One search step on freshly sampled batches.
  public func step(values: ScheduleValues) -> StepOutcome {
    let train = nextBatch(instance: .weightInstance, class: .weightClass)
    let validation = nextBatch(instance: .architectureInstance, class: .architectureClass)
    let losses = step.run(
      train: train, validation: validation, mu: Float(values.mu), classWeights: classWeights,
      order: configuration.order)
    let perHalf = configuration.batchSize * (network.shape.isTwoHead ? 2 : 1)
    return StepOutcome(
      trainLoss: Double(losses.train), validationLoss: Double(losses.validation),
      instanceLoss: losses.trainInstance.map(Double.init), classLoss: losses.trainClass.map(Double.init),
      correct: losses.trainCorrect, seen: configuration.batchSize, images: perHalf, failure: losses.failure)
  }

  func nextBatch(instance: SamplerRole, class classRole: SamplerRole) -> Batch {
    let dataset = data.train
    let augmentation = dataset.trainingAugmentation
    let size = configuration.batchSize
    let instanceIndices = samplers[instance]!.nextBatch(size: size)
    let x = data.batch(instanceIndices, from: dataset, augmentation: augmentation, generator: &augmentationGenerator)
    guard samplers[classRole] != nil else {
      return Batch(input: x, targets: dataset.labels(of: instanceIndices))
    }
    let classIndices = samplers[classRole]!.nextBatch(size: size)
    let xc = data.batch(classIndices, from: dataset, augmentation: augmentation, generator: &augmentationGenerator)
    return Batch(
      input: x, targets: dataset.labels(of: instanceIndices), classInput: xc,
      classTargets: dataset.labels(of: classIndices))
  }

  /// Evaluates the architecture half and the test set and assembles the epoch report.
  public func evaluate(epoch: Int, train: SplitMetrics, values: ScheduleValues, seconds: Double) -> EpochReport {
    let classCount = data.train.classCount
    let validation = network.evaluate(
      on: data.train, indices: data.validationIndices, classCount: classCount, tape: tape)
    let test = network.evaluate(on: data.test, indices: data.testIndices, classCount: classCount, tape: tape)
    var groups: [String: Double] = [:]
    for (group, accuracy) in data.shotGroups.accuracies(correct: test.correct, total: test.total) {
      groups[group.rawValue] = accuracy
    }
    return EpochReport(
      epoch: epoch, train: train, validation: validation.metrics, test: test.metrics,
      perClassAccuracy: test.perClassAccuracy, groupAccuracy: groups, alphas: network.softmaxedAlphas(),
      genotypes: network.genotypes(), values: values, seconds: seconds)
  }

  /// The `started` event of this run.
  public func started(startEpoch: Int, schedules: Schedules) -> RunStarted {
    RunStarted(
      runID: runID, method: configuration.method.rawValue, dataset: configuration.data.dataset.rawValue,
      imbalanceRatio: configuration.data.imbalanceRatio, epochs: configuration.epochs, stepsPerEpoch: stepsPerEpoch,
      batchSize: configuration.batchSize, seed: configuration.data.seed, components: network.shape.components,
      primitives: Primitive.allCases, classNames: classNames, classCounts: data.classCounts,
      shotGroups: data.shotGroups.groups.map(\.rawValue), schedules: schedules,
      configuration: configuration.tomlText(), startEpoch: startEpoch)
  }

  /// The data set's class names, or numbers when it has more classes than names.
  var classNames: [String] {
    let names = configuration.data.dataset.classNames
    return names.count == data.train.classCount ? names : (0..<data.train.classCount).map(String.init)
  }
}
