import Architecture
import Datasets
import RunEvents
import RunLoop
import Settings

/// Every setting of a training run (DESIGN.md §8): the architecture and where it came from, the data (shared
/// with the search), the network, the DARTS evaluation recipe (SGD 0.025 cosine to 0, momentum 0.9, weight
/// decay 3e-4, clip 5, auxiliary 0.4, drop path 0.2, cutout) and the long-tail recipe. The settings table
/// (`TrainingConfiguration+Settings.swift`) lists each with its TOML key (`[train]`), flag, help and range.
public struct TrainingConfiguration: Sendable, Equatable {
  public var preset: TrainingPreset = .demo
  /// The long-tail recipe asked for.
  public var recipe: RecipeChoice = .same
  /// The search method of the architecture's search (what `recipe = same` follows); nil for a genotype
  /// given by hand.
  public var method: SearchMethod?

  /// The architecture to train.
  public var genotype: Genotype?
  /// The search run the genotype comes from, and its epoch (counted from 0).
  public var sourceRun: String?
  public var sourceEpoch: Int?

  /// The data set, long tail, seed, test evaluation and shot groups.
  public var data = DataConfiguration()

  // Network
  public var initChannels: Int = 16
  public var layers: Int = 8
  public var headCells: Int = 1
  public var auxiliary = true
  public var auxiliaryWeight: Double = 0.4

  // Training loop
  public var epochs: Int = 50
  public var batchSize: Int = 64
  /// Steps per epoch; one pass over the long-tailed training set when nil.
  public var stepsPerEpoch: Int?
  /// Worker threads; all cores when nil.
  public var threads: Int?

  // SGD (its learning rate is a schedule)
  public var momentum: Double = 0.9
  public var weightDecay: Double = 3e-4
  public var gradientClip: Double = 5

  /// Schedule settings fixed explicitly; the rest follow the recipe's defaults.
  public var scheduleOverrides = ScheduleOverrides()

  // Augmentation
  /// Cutout (DeVries & Taylor 2017) on the training images.
  public var cutout = true
  /// The cutout square's side; DARTS' 16 for 32x32 images, scaled to the image when nil.
  public var cutoutLength: Int?

  /// beta of the class-balanced weights (rw).
  public var classBalanceBeta: Double = 0.9999

  // Run store and faults
  public var keepCheckpoints: Int = 3
  public var onNaN: NaNPolicy?

  public init() {}

  /// The preset's sizes applied to a default configuration.
  public init(preset: TrainingPreset) {
    self.init()
    self.preset = preset
    switch preset {
    case .demo:
      initChannels = 8
      layers = 5
      batchSize = 32
      epochs = 10
      stepsPerEpoch = 40
      data.evaluationLimit = 1000
      data.maxPerClass = 3000
    case .paper:
      break
    case .tiny:
      data.dataset = .synthetic
      initChannels = 4
      layers = 3
      batchSize = 16
      epochs = 3
      stepsPerEpoch = 6
      data.evaluationLimit = 200
      data.maxPerClass = 200
      data.imbalanceRatio = 10
    }
  }

  /// The recipe in force: the one asked for, or for `same` the search method's (plain for a hand-given one).
  public var resolvedRecipe: TrainingRecipe {
    if let recipe = recipe.recipe { return recipe }
    guard let method else { return .plain }
    return method.isTwoHead ? .bbn : method.resamples ? .rs : method.reweightsLoss ? .rw : .plain
  }

  /// The recipe's default schedules: weights cosine 0.025 -> 0 (DARTS `train.py`), drop path linear 0 -> 0.2,
  /// mu for two heads as the search method's (hls the symmetric cosine, otherwise BBN's parabola), 1 otherwise.
  public var defaultSchedules: Schedules {
    let mu: Curve =
      resolvedRecipe.isTwoHead ? (method == .hls ? .cosine(from: 1, to: 0) : .parabolic(from: 1, to: 0)) : .constant(1)
    return Schedules(
      weightLearningRate: .cosine(from: 0.025, to: 0), mu: mu, architectureLearningRate: 0, multipliers: [:],
      dropPath: .linear(from: 0, to: 0.2))
  }

  /// The schedules in force at the start.
  public var schedules: Schedules { scheduleOverrides.applied(to: defaultSchedules) }

  /// The genotype to build, with head cells for a two-head recipe (the normal cell when the genotype has
  /// none, as a one-head architecture trained with BBN's heads) and without them for one head.
  public var trainedGenotype: Genotype? {
    guard var g = genotype else { return nil }
    if resolvedRecipe.isTwoHead {
      if g.instance == nil { g.instance = g.normal }
      if g.class == nil { g.class = g.normal }
    } else {
      g.instance = nil
      g.class = nil
    }
    return g
  }

  /// The cutout side for images `size` pixels wide: DARTS' 16 at 32, scaled (14 at 28); 0 without cutout.
  public func cutoutSide(imageSize size: Int) -> Int {
    guard cutout else { return 0 }
    return cutoutLength ?? max(1, Int((16 * Double(size) / 32).rounded()))
  }

  /// Checks every value; the error names the setting and the accepted range.
  public func validate() throws {
    do {
      try Self.table.validate(self)
    } catch let error as SettingError {
      throw TrainingError.invalidSetting(error.message)
    }
    if let problem = data.problems.first { throw TrainingError.invalidSetting(problem) }
  }
}
