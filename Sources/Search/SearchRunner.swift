import Data
import Engine
import Foundation
import RunEvents

/// Where a search writes its per-epoch checkpoints (the run store implements it).
public protocol CheckpointStore: AnyObject {
  /// Writes the checkpoint taken at the end of `epoch` (0-based); returns where it went.
  func writeCheckpoint(_ checkpoint: SafeTensors, epoch: Int) throws -> String
}

/// How a search ended.
public enum RunOutcome: Equatable, Sendable {
  case finished
  case stopped
  case failed(String)
}

/// Runs a search: the epoch and step loop, evaluation, events, control commands and checkpoints.
///
/// All work happens on the thread that calls `run()`. Control commands are taken at step boundaries;
/// while paused the thread sleeps on the control queue. Every event goes to `sink`.
public final class SearchRunner: @unchecked Sendable {
  public let configuration: SearchConfiguration
  public let runID: String
  public let data: SearchData
  public let network: SearchNetwork
  let step: SearchStep
  let sink: EventSink
  let controls: ControlQueue
  let checkpoints: CheckpointStore?
  let classWeights: [Float]?
  /// The schedules in force, including mid-run edits.
  public internal(set) var schedules: Schedules
  var samplers: [SamplerRole: Sampler]
  var augmentationGenerator: SplitMix64
  /// The next epoch to run.
  public internal(set) var epoch = 0
  public internal(set) var globalStep = 0
  var bestAccuracy = -1.0
  var bestEpoch = -1
  var paused = false
  var stopRequested = false
  var imagesPerSecond = 0.0
  /// The newest epoch report.
  public internal(set) var lastReport: EpochReport?
  /// Asked after every epoch; a reason ends the run as failed (e.g. the event log hit a full disk).
  public var storageFailure: (() -> String?)?

  /// The samplers of a search, by half and branch.
  enum SamplerRole: String, CaseIterable {
    case weightInstance = "weight_instance"
    case weightClass = "weight_class"
    case architectureInstance = "architecture_instance"
    case architectureClass = "architecture_class"
  }

  /// Prepares a fresh search on already-loaded data.
  public init(
    configuration: SearchConfiguration, runID: String, train: ImageDataset, test: ImageDataset, sink: EventSink,
    controls: ControlQueue, checkpoints: CheckpointStore? = nil
  ) throws {
    try configuration.validate()
    self.configuration = configuration
    self.runID = runID
    self.sink = sink
    self.controls = controls
    self.checkpoints = checkpoints
    let c = configuration
    data = try SearchData(train: train, test: test, configuration: c)
    let shape = NetworkShape(
      channels: c.initChannels, classes: train.classCount, layers: c.layers, inputChannels: train.channels,
      heads: c.method.isTwoHead ? 2 : 0, headCells: c.headCells)
    network = SearchNetwork(shape: shape, seed: SplitMix64.derivedSeed(c.seed, stream: 3))
    let tape = Tape(threads: c.threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let architect = Architect(
      network: network, learningRate: Float(c.architectureLearningRate), beta1: Float(c.architectureBeta1),
      beta2: Float(c.architectureBeta2), weightDecay: Float(c.architectureWeightDecay))
    step = SearchStep(
      network: network, architect: architect, weightLearningRate: Float(c.weightLearningRate),
      momentum: Float(c.momentum), weightDecay: Float(c.weightDecay), gradientClip: Float(c.gradientClip), tape: tape)
    schedules = c.resolvedSchedules
    classWeights =
      c.method.reweightsLoss
      ? ClassWeights.effectiveNumber(counts: data.classCounts, beta: c.classBalanceBeta) : nil
    let instanceKind = c.method.instanceSampler
    var samplers: [SamplerRole: Sampler] = [
      .weightInstance: data.sampler(instanceKind, over: data.weightHalf, stream: 10, seed: c.seed),
      .architectureInstance: data.sampler(instanceKind, over: data.architectureHalf, stream: 11, seed: c.seed),
    ]
    if c.method.isTwoHead {
      samplers[.weightClass] = data.sampler(.reversed, over: data.weightHalf, stream: 12, seed: c.seed)
      samplers[.architectureClass] = data.sampler(.reversed, over: data.architectureHalf, stream: 13, seed: c.seed)
    }
    self.samplers = samplers
    augmentationGenerator = SplitMix64(seed: SplitMix64.derivedSeed(c.seed, stream: 4))
  }

  /// Steps per epoch: the configured number, or one pass over the weight half.
  public var stepsPerEpoch: Int {
    configuration.stepsPerEpoch ?? max(1, data.weightHalf.count / configuration.batchSize)
  }

  /// The `started` event of this run.
  public func startedEvent() -> RunStarted {
    RunStarted(
      runID: runID, method: configuration.method.rawValue, dataset: configuration.dataset.rawValue,
      imbalanceRatio: configuration.imbalanceRatio, epochs: configuration.epochs, stepsPerEpoch: stepsPerEpoch,
      batchSize: configuration.batchSize, seed: configuration.seed, components: network.shape.components,
      primitives: Primitive.allCases.map(\.rawValue), classNames: classNames,
      classCounts: data.classCounts, shotGroups: data.shotGroups.groups.map(\.rawValue), schedules: schedules,
      configuration: configuration.tomlText(), startEpoch: epoch)
  }

  /// The data set's class names, or numbers when it has more classes than names.
  var classNames: [String] {
    let names = configuration.dataset.classNames
    return names.count == data.train.classCount ? names : (0..<data.train.classCount).map(String.init)
  }

  /// Runs the remaining epochs on the calling thread.
  public func run() -> RunOutcome {
    sink.emit(.started(startedEvent()))
    while epoch < configuration.epochs {
      let epochStart = Date()
      applySchedules()
      var trainLossSum = 0.0
      var trainCorrect = 0
      var trainSeen = 0
      for s in 0..<stepsPerEpoch {
        guard handleControls() else { return finish(stopped: true) }
        let started = Date()
        let values = schedules.values(epoch: epoch, of: configuration.epochs)
        let losses = runStep(mu: Float(values.mu))
        guard losses.isFinite else {
          let validationFailed = losses.architectureRan && !losses.validation.isFinite
          let reason =
            "\(validationFailed ? "validation" : "training") loss is "
            + "\(describeLoss(validationFailed ? losses.validation : losses.train)) at epoch \(epoch + 1) step \(s + 1); "
            + "paused with the parameters of the previous step"
          paused = true
          sink.emit(.control(ControlApplied(command: .pause, epoch: epoch, globalStep: globalStep, reason: reason)))
          guard handleControls() else { return finish(stopped: true) }
          continue
        }
        let seconds = max(Date().timeIntervalSince(started), 1e-6)
        let images = Double(configuration.batchSize * (network.shape.isTwoHead ? 2 : 1))
        imagesPerSecond = imagesPerSecond == 0 ? images / seconds : 0.8 * imagesPerSecond + 0.2 * images / seconds
        trainLossSum += Double(losses.train)
        trainCorrect += losses.trainCorrect
        trainSeen += configuration.batchSize
        sink.emit(
          .step(
            StepReport(
              epoch: epoch, step: s, globalStep: globalStep, trainLoss: Double(losses.train),
              validationLoss: Double(losses.validation), trainLossInstance: losses.trainInstance.map(Double.init),
              trainLossClass: losses.trainClass.map(Double.init), values: values, imagesPerSecond: imagesPerSecond)))
        globalStep += 1
      }
      let report = evaluateEpoch(
        train: SplitMetrics(
          loss: trainLossSum / Double(max(stepsPerEpoch, 1)), accuracy: Double(trainCorrect) / Double(max(trainSeen, 1))
        ),
        seconds: Date().timeIntervalSince(epochStart))
      sink.emit(.epoch(report))
      lastReport = report
      if report.test.accuracy > bestAccuracy {
        bestAccuracy = report.test.accuracy
        bestEpoch = epoch
      }
      epoch += 1
      if let reason = storageFailure?() {
        let message = "cannot write the run's events: \(reason)"
        sink.emit(.failed(RunFailed(reason: message)))
        return .failed(message)
      }
      if let checkpoints {
        do {
          let path = try checkpoints.writeCheckpoint(checkpoint(), epoch: epoch - 1)
          sink.emit(.checkpoint(CheckpointWritten(epoch: epoch - 1, path: path)))
        } catch {
          let reason = "cannot write the checkpoint of epoch \(epoch): \(error)"
          sink.emit(.failed(RunFailed(reason: reason)))
          return .failed(reason)
        }
      }
    }
    return finish(stopped: false)
  }

  private func finish(stopped: Bool) -> RunOutcome {
    sink.emit(
      .finished(
        RunFinished(epochs: epoch, bestTestAccuracy: max(bestAccuracy, 0), bestEpoch: bestEpoch, stopped: stopped)))
    return stopped ? .stopped : .finished
  }

  /// Sets the optimizers' learning rates for the current epoch from the schedules.
  func applySchedules() {
    let values = schedules.values(epoch: epoch, of: configuration.epochs)
    step.weightOptimizer.learningRate = Float(values.weightLearningRate)
    var rates: [ArchitectureComponent: Float] = [:]
    for (component, rate) in values.architectureLearningRates { rates[component] = Float(rate) }
    step.architect.setLearningRates(rates)
  }

  /// One search step on freshly sampled batches.
  func runStep(mu: Float) -> StepLosses {
    let train = nextBatch(instance: .weightInstance, class: .weightClass)
    let validation = nextBatch(instance: .architectureInstance, class: .architectureClass)
    return step.run(
      train: train, validation: validation, mu: mu, classWeights: classWeights, order: configuration.order)
  }

  func nextBatch(instance: SamplerRole, class classRole: SamplerRole) -> SearchBatch {
    let dataset = data.train
    let augmentation = dataset.trainingAugmentation
    let size = configuration.batchSize
    let instanceIndices = samplers[instance]!.nextBatch(size: size)
    let x = data.batch(instanceIndices, from: dataset, augmentation: augmentation, generator: &augmentationGenerator)
    guard samplers[classRole] != nil else {
      return SearchBatch(input: x, targets: dataset.labels(of: instanceIndices))
    }
    let classIndices = samplers[classRole]!.nextBatch(size: size)
    let xc = data.batch(classIndices, from: dataset, augmentation: augmentation, generator: &augmentationGenerator)
    return SearchBatch(
      input: x, targets: dataset.labels(of: instanceIndices), classInput: xc,
      classTargets: dataset.labels(of: classIndices))
  }

  /// Evaluates the architecture half and the test set and assembles the epoch report.
  func evaluateEpoch(train: SplitMetrics, seconds: Double) -> EpochReport {
    let tape = step.tape
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
      genotypes: network.genotypes(), values: schedules.values(epoch: epoch, of: configuration.epochs),
      seconds: seconds)
  }
}

/// A loss value for messages: `NaN`, `inf`, `-inf` or the number.
func describeLoss(_ value: Float) -> String {
  value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
}
