import Architecture
import Datasets
import RunEvents
import RunLoop
import Settings

/// Every setting of a search (DESIGN.md §4), resolved from a preset, an optional TOML file and flags; the
/// settings table (`SearchConfiguration+Settings.swift`) lists each with its TOML key, flag, help and range.
public struct SearchConfiguration: Sendable, Equatable {
  public var method: SearchMethod = .hls
  public var preset: SearchPreset = .demo

  /// The data set, long tail, seed, test evaluation and shot groups.
  public var data = DataConfiguration()
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

  // Weights (their learning rate is a schedule)
  public var momentum: Double = 0.9
  public var weightDecay: Double = 3e-4
  public var gradientClip: Double = 5

  // Architecture (its learning rates are schedules)
  public var architectureBeta1: Double = 0.5
  public var architectureBeta2: Double = 0.999
  public var architectureWeightDecay: Double = 1e-3

  /// The schedule settings fixed explicitly; the rest follow the method.
  public var scheduleOverrides = ScheduleOverrides()

  // Loss
  /// beta of the class-balanced (effective number) weights.
  public var classBalanceBeta: Double = 0.9999

  // Run store and faults
  /// Checkpoints kept per run (the newest).
  public var keepCheckpoints: Int = 3
  /// What a step whose loss is not finite does; nil: pause in the dashboard, stop headless.
  public var onNaN: NaNPolicy?

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
      data.evaluationLimit = 600
      validationLimit = 300
      data.maxPerClass = 3000
    case .paper:
      initChannels = 16
      layers = 8
      batchSize = 64
      epochs = 50
    case .tiny:
      data.dataset = .synthetic
      initChannels = 4
      layers = 3
      batchSize = 16
      epochs = 3
      stepsPerEpoch = 6
      data.evaluationLimit = 200
      validationLimit = 100
      data.maxPerClass = 200
      data.imbalanceRatio = 10
    }
  }

  /// The schedules in force at the start: the method's defaults with the explicit settings in place.
  public var schedules: Schedules { scheduleOverrides.applied(to: method.defaultSchedules) }

  /// Checks every value; the error names the setting and the accepted range.
  public func validate() throws {
    do {
      try Self.table.validate(self)
    } catch let error as SettingError {
      throw SearchError.invalidSetting(error.message)
    }
    if let problem = data.problems.first { throw SearchError.invalidSetting(problem) }
    if let most = data.maxPerClass, most < 2 {
      throw SearchError.invalidSetting(
        "data.max_per_class (--max-per-class) must be at least 2 for a search, got \(most): the long-tailed set is split into a "
          + "weight half and an architecture half, so some class needs two images")
    }
  }
}
