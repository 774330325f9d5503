import Architecture
import Foundation

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
  /// The primitives in alpha column order (written as their DARTS names).
  public var primitives: [Primitive]
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
  /// The phase: search (when absent, as in runs written before training existed) or training.
  public var phase: RunPhaseKind?
  /// A training run's architecture, in DARTS' Python form.
  public var genotype: String?
  /// A training run's parameters, without the auxiliary head (as DARTS' `count_parameters_in_MB`).
  public var parameterCount: Int?
  /// A training run's recipe: plain, rs, rw or bbn.
  public var recipe: String?
  /// The search run a training run trains the result of, and the epoch whose genotype it took.
  public var sourceRun: String?
  public var sourceEpoch: Int?
  /// The schedules the run accepts edits of.
  public var editableTargets: [ScheduleTarget]?

  public init(
    runID: String, method: String, dataset: String, imbalanceRatio: Double, epochs: Int, stepsPerEpoch: Int,
    batchSize: Int, seed: UInt64, components: [ArchitectureComponent], primitives: [Primitive], classNames: [String],
    classCounts: [Int], shotGroups: [String], schedules: Schedules, configuration: String, startEpoch: Int = 0,
    phase: RunPhaseKind? = nil, genotype: String? = nil, parameterCount: Int? = nil, recipe: String? = nil,
    sourceRun: String? = nil, sourceEpoch: Int? = nil, editableTargets: [ScheduleTarget]? = nil
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
    self.phase = phase
    self.genotype = genotype
    self.parameterCount = parameterCount
    self.recipe = recipe
    self.sourceRun = sourceRun
    self.sourceEpoch = sourceEpoch
    self.editableTargets = editableTargets
  }

  /// The phase, search when the event does not say.
  public var phaseKind: RunPhaseKind { phase ?? .search }

  /// Whether this is a training run.
  public var isTraining: Bool { phaseKind == .training }

  /// The schedules a user may edit: as the run says, else (runs written before it said) mu, the weight
  /// learning rate and the multiplier of each searched part.
  public var editTargets: [ScheduleTarget] {
    if let editableTargets { return editableTargets }
    let parts = ArchitecturePart.allCases.filter { part in components.contains { $0.part == part } }
    return [.mu, .weightLearningRate] + parts.map { .architectureMultiplier($0) }
  }
}
