import Data
import Foundation
import RunEvents

/// Every setting of a search (DESIGN.md §4), resolved from a preset, an optional TOML file and flags.
public struct SearchConfiguration: Codable, Sendable, Equatable {
  public var method: SearchMethod = .hls
  public var preset: SearchPreset = .demo

  // Data
  public var dataset: DatasetSource = .fashionMNIST
  /// Directory of the data files; the data set's default when nil.
  public var dataDirectory: String?
  /// rho = n_max / n_min.
  public var imbalanceRatio: Double = 100
  /// Images of the largest class; the smallest class size of the source when nil.
  public var maxPerClass: Int?
  public var seed: UInt64 = 0
  /// Test images evaluated per epoch (balanced over classes); all when nil.
  public var evaluationLimit: Int?
  /// Architecture-half images evaluated per epoch; all when nil.
  public var validationLimit: Int?

  // Network
  public var initChannels: Int = 8
  public var layers: Int = 5
  public var headCells: Int = 1

  // Search loop
  public var epochs: Int = 10
  public var batchSize: Int = 32
  /// Steps per epoch; one pass over the weight half when nil.
  public var stepsPerEpoch: Int?
  public var order: ArchitectureOrder = .first
  /// Worker threads; all cores when nil.
  public var threads: Int?

  // Weights
  public var weightLearningRate: Double = 0.025
  public var weightLearningRateMin: Double = 0.001
  public var momentum: Double = 0.9
  public var weightDecay: Double = 3e-4
  public var gradientClip: Double = 5

  // Architecture
  public var architectureLearningRate: Double = 3e-4
  public var architectureBeta1: Double = 0.5
  public var architectureBeta2: Double = 0.999
  public var architectureWeightDecay: Double = 1e-3

  /// Schedules; the method's defaults when nil.
  public var schedules: Schedules?

  // Loss and reporting
  /// beta of the class-balanced (effective number) weights.
  public var classBalanceBeta: Double = 0.9999
  /// Shot groups by count thresholds (many if n > manyAbove, few if n < fewBelow); thirds of the classes
  /// when nil.
  public var manyAbove: Int?
  public var fewBelow: Int?

  // Run store
  /// Checkpoints kept per run (the newest).
  public var keepCheckpoints: Int = 3

  public init() {}

  /// The preset's sizes applied to a default configuration.
  public init(preset: SearchPreset, method: SearchMethod = .hls) {
    self.init()
    self.method = method
    self.preset = preset
    switch preset {
    case .demo:
      initChannels = 4
      layers = 5
      batchSize = 24
      epochs = 10
      stepsPerEpoch = 20
      evaluationLimit = 600
      validationLimit = 300
      maxPerClass = 3000
    case .paper:
      initChannels = 16
      layers = 8
      batchSize = 64
      epochs = 50
    case .tiny:
      dataset = .synthetic
      initChannels = 4
      layers = 3
      batchSize = 16
      epochs = 3
      stepsPerEpoch = 6
      evaluationLimit = 200
      validationLimit = 100
      maxPerClass = 200
      imbalanceRatio = 10
    }
  }

  /// The schedules in force at the start: the explicit ones or the method's defaults.
  public var resolvedSchedules: Schedules {
    schedules
      ?? method.defaultSchedules(
        weightLearningRate: weightLearningRate, weightLearningRateMin: weightLearningRateMin,
        architectureLearningRate: architectureLearningRate)
  }

  /// Checks every value; the error names the setting and the accepted range.
  public func validate() throws {
    func require(_ condition: Bool, _ message: String) throws {
      if !condition { throw SearchError.invalidSetting(message) }
    }
    try require(
      imbalanceRatio.isFinite && imbalanceRatio >= 1, "imbalance_ratio must be at least 1, got \(imbalanceRatio)")
    try require(maxPerClass.map { $0 >= 1 } ?? true, "max_per_class must be positive")
    try require(initChannels >= 1 && initChannels <= 256, "init_channels must be in 1...256, got \(initChannels)")
    try require(layers >= 3 && layers <= 32, "layers must be in 3...32, got \(layers)")
    try require(headCells >= 1 && headCells <= 8, "head_cells must be in 1...8, got \(headCells)")
    try require(epochs >= 1 && epochs <= 10000, "epochs must be in 1...10000, got \(epochs)")
    try require(batchSize >= 2 && batchSize <= 4096, "batch_size must be in 2...4096, got \(batchSize)")
    try require(stepsPerEpoch.map { $0 >= 1 } ?? true, "steps_per_epoch must be positive")
    try require(threads.map { $0 >= 1 && $0 <= 256 } ?? true, "threads must be in 1...256")
    try require(evaluationLimit.map { $0 >= 10 } ?? true, "evaluation_limit must be at least 10")
    try require(validationLimit.map { $0 >= 10 } ?? true, "validation_limit must be at least 10")
    for (name, value) in [
      ("weight_lr", weightLearningRate), ("weight_lr_min", weightLearningRateMin),
      ("arch_lr", architectureLearningRate),
    ] {
      try require(value.isFinite && value >= 0 && value <= 10, "\(name) must be in 0...10, got \(value)")
    }
    try require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got \(momentum)")
    try require(weightDecay >= 0 && weightDecay < 1, "weight_decay must be in [0, 1), got \(weightDecay)")
    try require(gradientClip > 0, "grad_clip must be positive, got \(gradientClip)")
    try require(architectureBeta1 >= 0 && architectureBeta1 < 1, "arch_beta1 must be in [0, 1)")
    try require(architectureBeta2 >= 0 && architectureBeta2 < 1, "arch_beta2 must be in [0, 1)")
    try require(architectureWeightDecay >= 0 && architectureWeightDecay < 1, "arch_weight_decay must be in [0, 1)")
    try require(classBalanceBeta >= 0 && classBalanceBeta < 1, "cb_beta must be in [0, 1), got \(classBalanceBeta)")
    try require(keepCheckpoints >= 1, "keep_checkpoints must be at least 1")
    if let manyAbove, let fewBelow {
      try require(manyAbove >= fewBelow, "many_above (\(manyAbove)) must not be below few_below (\(fewBelow))")
    } else {
      try require(manyAbove == nil && fewBelow == nil, "many_above and few_below must be given together")
    }
    let s = resolvedSchedules
    do {
      try ScheduleEdit(target: .mu, curve: s.mu).validate()
      try ScheduleEdit(target: .weightLearningRate, curve: s.weightLearningRate).validate()
      for (component, curve) in s.architectureMultipliers {
        try ScheduleEdit(target: .architectureMultiplier(component), curve: curve).validate()
      }
    } catch {
      throw SearchError.invalidSetting("schedule: \(error)")
    }
  }
}
