import Foundation

/// Everything a search reports, in order. Each event is one line of `events.jsonl` (see `EventEnvelope`)
/// and one message on the dashboard channel.
public enum RunEvent: Codable, Sendable, Equatable {
  case started(RunStarted)
  case step(StepReport)
  case epoch(EpochReport)
  case control(ControlApplied)
  case checkpoint(CheckpointWritten)
  case finished(RunFinished)
  case failed(RunFailed)

  /// Whether a consumer that falls behind may drop this event (only step reports).
  public var isDroppable: Bool {
    if case .step = self { return true }
    return false
  }
}

/// The version of the event schema written into every line.
public let eventSchemaVersion = 1

/// What a run is: written once when it starts (and again when it resumes).
public struct RunStarted: Codable, Sendable, Equatable {
  public var runID: String
  public var method: String
  public var dataset: String
  public var imbalanceRatio: Double
  public var epochs: Int
  public var stepsPerEpoch: Int
  public var batchSize: Int
  public var seed: UInt64
  /// The searched components, in order.
  public var components: [ArchitectureComponent]
  /// Primitive names in alpha column order.
  public var primitives: [String]
  /// Class names (or numbers) in label order.
  public var classNames: [String]
  /// Long-tailed training counts per class.
  public var classCounts: [Int]
  /// Shot group of each class: "many", "medium" or "few".
  public var shotGroups: [String]
  public var schedules: Schedules
  /// The resolved configuration as TOML.
  public var configuration: String
  /// The epoch the run starts (or resumes) at.
  public var startEpoch: Int

  public init(
    runID: String, method: String, dataset: String, imbalanceRatio: Double, epochs: Int, stepsPerEpoch: Int,
    batchSize: Int, seed: UInt64, components: [ArchitectureComponent], primitives: [String], classNames: [String],
    classCounts: [Int], shotGroups: [String], schedules: Schedules, configuration: String, startEpoch: Int = 0
  ) {
    self.runID = runID
    self.method = method
    self.dataset = dataset
    self.imbalanceRatio = imbalanceRatio
    self.epochs = epochs
    self.stepsPerEpoch = stepsPerEpoch
    self.batchSize = batchSize
    self.seed = seed
    self.components = components
    self.primitives = primitives
    self.classNames = classNames
    self.classCounts = classCounts
    self.shotGroups = shotGroups
    self.schedules = schedules
    self.configuration = configuration
    self.startEpoch = startEpoch
  }
}

/// One search step.
public struct StepReport: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Step within the epoch, from 0.
  public var step: Int
  public var globalStep: Int
  /// Weight-step (training) loss.
  public var trainLoss: Double
  /// Architecture-step (validation) loss.
  public var validationLoss: Double
  /// Two-head methods: the instance- and class-sampled parts of the training loss, CE(z, y_i) and CE(z, y_c).
  public var trainLossInstance: Double?
  public var trainLossClass: Double?
  public var values: ScheduleValues
  public var imagesPerSecond: Double

  public init(
    epoch: Int, step: Int, globalStep: Int, trainLoss: Double, validationLoss: Double, trainLossInstance: Double? = nil,
    trainLossClass: Double? = nil, values: ScheduleValues, imagesPerSecond: Double
  ) {
    self.epoch = epoch
    self.step = step
    self.globalStep = globalStep
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.trainLossInstance = trainLossInstance
    self.trainLossClass = trainLossClass
    self.values = values
    self.imagesPerSecond = imagesPerSecond
  }
}

/// Loss and top-1 accuracy on one split.
public struct SplitMetrics: Codable, Sendable, Equatable {
  public var loss: Double
  public var accuracy: Double

  public init(loss: Double, accuracy: Double) {
    self.loss = loss
    self.accuracy = accuracy
  }
}

/// A derived cell: per intermediate node, two (op, input) pairs; inputs 0 and 1 are the cell inputs.
public struct Genotype: Codable, Sendable, Equatable {
  public var edges: [GenotypeEdge]
  public var concat: [Int]

  public init(edges: [GenotypeEdge], concat: [Int]) {
    self.edges = edges
    self.concat = concat
  }

  /// The DARTS Python list form, e.g. `[('sep_conv_3x3', 0), ('skip_connect', 1), ...]`.
  public var pythonList: String {
    "[" + edges.map { "('\($0.op)', \($0.input))" }.joined(separator: ", ") + "]"
  }
}

/// One kept edge of a genotype.
public struct GenotypeEdge: Codable, Sendable, Equatable {
  public var op: String
  public var input: Int

  public init(op: String, input: Int) {
    self.op = op
    self.input = input
  }
}

/// The end of one epoch: metrics, architecture and schedules.
public struct EpochReport: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Mean training loss and accuracy over the epoch's weight steps.
  public var train: SplitMetrics
  /// The architecture-training half.
  public var validation: SplitMetrics
  /// The balanced test set.
  public var test: SplitMetrics
  public var perClassAccuracy: [Double]
  /// Test accuracy of the many, medium and few-shot groups.
  public var groupAccuracy: [String: Double]
  /// Softmaxed alphas [edges][primitives] per component.
  public var alphas: [ArchitectureComponent: [[Double]]]
  public var genotypes: [ArchitectureComponent: Genotype]
  public var values: ScheduleValues
  public var seconds: Double

  public init(
    epoch: Int, train: SplitMetrics, validation: SplitMetrics, test: SplitMetrics, perClassAccuracy: [Double],
    groupAccuracy: [String: Double], alphas: [ArchitectureComponent: [[Double]]],
    genotypes: [ArchitectureComponent: Genotype], values: ScheduleValues, seconds: Double
  ) {
    self.epoch = epoch
    self.train = train
    self.validation = validation
    self.test = test
    self.perClassAccuracy = perClassAccuracy
    self.groupAccuracy = groupAccuracy
    self.alphas = alphas
    self.genotypes = genotypes
    self.values = values
    self.seconds = seconds
  }
}

/// A control command as the engine applied it.
public struct ControlApplied: Codable, Sendable, Equatable {
  public var command: ControlCommand
  public var epoch: Int
  public var globalStep: Int
  /// For schedule edits, the curve replaced.
  public var previous: Curve?
  /// Why, when the engine acted on its own (e.g. a NaN loss paused the search).
  public var reason: String?

  public init(command: ControlCommand, epoch: Int, globalStep: Int, previous: Curve? = nil, reason: String? = nil) {
    self.command = command
    self.epoch = epoch
    self.globalStep = globalStep
    self.previous = previous
    self.reason = reason
  }
}

/// A checkpoint on disk.
public struct CheckpointWritten: Codable, Sendable, Equatable {
  public var epoch: Int
  public var path: String

  public init(epoch: Int, path: String) {
    self.epoch = epoch
    self.path = path
  }
}

/// The normal end of a run.
public struct RunFinished: Codable, Sendable, Equatable {
  public var epochs: Int
  public var bestTestAccuracy: Double
  public var bestEpoch: Int
  /// True when stopped by a command before the last epoch.
  public var stopped: Bool

  public init(epochs: Int, bestTestAccuracy: Double, bestEpoch: Int, stopped: Bool) {
    self.epochs = epochs
    self.bestTestAccuracy = bestTestAccuracy
    self.bestEpoch = bestEpoch
    self.stopped = stopped
  }
}

/// An abnormal end.
public struct RunFailed: Codable, Sendable, Equatable {
  public var reason: String

  public init(reason: String) {
    self.reason = reason
  }
}

/// Commands from the user to the engine, applied at the next step boundary.
public enum ControlCommand: Codable, Sendable, Equatable {
  case pause
  case resume
  case stop
  case edit(ScheduleEdit)
}
