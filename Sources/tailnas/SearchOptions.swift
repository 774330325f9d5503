import ArgumentParser
import Data
import Foundation
import RunEvents
import Search

extension SearchMethod: ExpressibleByArgument {}
extension SearchPreset: ExpressibleByArgument {}
extension DatasetSource: ExpressibleByArgument {}
extension ArchitectureOrder: ExpressibleByArgument {}

/// The flags that configure a search (DESIGN.md §1, §4); they override `--config`, which overrides `--preset`.
struct SearchOptions: ParsableArguments {
  @Option(help: "Sizes: demo (default, minutes), paper (C=16, 8 layers, batch 64, 50 epochs) or tiny (seconds).")
  var preset: SearchPreset?
  @Option(help: "A TOML configuration file; flags override it.") var config: String?
  @Option(help: "darts, darts-rs, darts-rw, bbn-darts or hls (default).") var method: SearchMethod?
  @Option(help: "fashion-mnist (default), mnist, cifar10 or synthetic.") var dataset: DatasetSource?
  @Option(name: .customLong("data-dir"), help: "Directory of the data files (IDX or CIFAR-10 binary).")
  var dataDirectory: String?
  @Option(name: .customLong("imbalance-ratio"), help: "rho = n_max / n_min of the long-tailed training set.")
  var imbalanceRatio: Double?
  @Option(name: .customLong("max-per-class"), help: "Images of the largest class.") var maxPerClass: Int?
  @Option(help: "Search epochs.") var epochs: Int?
  @Option(name: .customLong("steps-per-epoch"), help: "Steps per epoch (default: one pass over the weight half).")
  var stepsPerEpoch: Int?
  @Option(name: .customLong("batch-size"), help: "Images per batch (per branch for two-head methods).")
  var batchSize: Int?
  @Option(name: .customLong("init-channels"), help: "Initial channels C.") var initChannels: Int?
  @Option(help: "Backbone cells.") var layers: Int?
  @Option(name: .customLong("head-cells"), help: "Searchable normal cells per head (two-head methods).")
  var headCells: Int?
  @Option(help: "Seed of the data subset, split, samplers, initialisation and augmentation.") var seed: UInt64?
  @Option(help: "Architecture gradient: first or second order.") var order: ArchitectureOrder?
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(name: .customLong("weight-lr"), help: "Initial weight learning rate (cosine-annealed).")
  var weightLearningRate: Double?
  @Option(name: .customLong("arch-lr"), help: "Base architecture learning rate lr_alpha.")
  var architectureLearningRate: Double?
  @Option(help: "mu schedule, e.g. \"cosine 1 0\", \"parabolic 1 0\", \"linear 1 0\", \"constant 0.5\".")
  var mu: String?
  @Option(name: .customLong("arch-lr-backbone"), help: "HLS multiplier of the backbone arch lr, e.g. mu.")
  var backboneMultiplier: String?
  @Option(name: .customLong("arch-lr-instance"), help: "HLS multiplier of the instance head arch lr.")
  var instanceMultiplier: String?
  @Option(name: .customLong("arch-lr-class"), help: "HLS multiplier of the class head arch lr, e.g. one-minus-mu.")
  var classMultiplier: String?
  @Option(name: .customLong("weight-lr-min"), help: "Floor of the cosine weight learning rate.")
  var weightLearningRateMin: Double?
  @Option(help: "SGD momentum of the weights.") var momentum: Double?
  @Option(name: .customLong("weight-decay"), help: "L2 weight decay of the weights.") var weightDecay: Double?
  @Option(name: .customLong("grad-clip"), help: "Global gradient-norm bound of the weight step.")
  var gradientClip: Double?
  @Option(name: .customLong("arch-beta1"), help: "Adam beta1 of the alphas.") var architectureBeta1: Double?
  @Option(name: .customLong("arch-beta2"), help: "Adam beta2 of the alphas.") var architectureBeta2: Double?
  @Option(name: .customLong("arch-weight-decay"), help: "L2 weight decay of the alphas.")
  var architectureWeightDecay: Double?
  @Option(name: .customLong("cb-beta"), help: "beta of the class-balanced loss weights (darts-rw).")
  var classBalanceBeta: Double?
  @Option(name: .customLong("many-above"), help: "Many-shot classes have more training images than this.")
  var manyAbove: Int?
  @Option(name: .customLong("few-below"), help: "Few-shot classes have fewer training images than this.")
  var fewBelow: Int?
  @Option(name: .customLong("validation-limit"), help: "Architecture-half images evaluated per epoch.")
  var validationLimit: Int?
  @Option(name: .customLong("evaluation-limit"), help: "Test images evaluated per epoch (default: all).")
  var evaluationLimit: Int?
  @Option(name: .customLong("keep-checkpoints"), help: "Checkpoints kept per run.") var keepCheckpoints: Int?
  @Option(name: .customLong("runs-dir"), help: "Where runs are stored.") var runsDirectory = "runs"

  /// The resolved configuration: preset, then the config file, then flags.
  func resolve() throws -> SearchConfiguration {
    var c = SearchConfiguration(preset: preset ?? .demo, method: method ?? .hls)
    if let config {
      guard let data = FileManager.default.contents(atPath: config) else {
        throw ValidationError("cannot read the config file \(config)")
      }
      do {
        c = try SearchConfiguration.parse(
          toml: String(decoding: data, as: UTF8.self), over: c, source: config, honoringPreset: preset == nil)
      } catch {
        throw ValidationError("\(error)")
      }
    }
    if let method { c.method = method }
    if let dataset { c.dataset = dataset }
    if let dataDirectory { c.dataDirectory = dataDirectory }
    if let imbalanceRatio { c.imbalanceRatio = imbalanceRatio }
    if let maxPerClass { c.maxPerClass = maxPerClass }
    if let epochs { c.epochs = epochs }
    if let stepsPerEpoch { c.stepsPerEpoch = stepsPerEpoch }
    if let batchSize { c.batchSize = batchSize }
    if let initChannels { c.initChannels = initChannels }
    if let layers { c.layers = layers }
    if let headCells { c.headCells = headCells }
    if let seed { c.seed = seed }
    if let order { c.order = order }
    if let threads { c.threads = threads }
    if let evaluationLimit { c.evaluationLimit = evaluationLimit }
    if let validationLimit { c.validationLimit = validationLimit }
    if let momentum { c.momentum = momentum }
    if let weightDecay { c.weightDecay = weightDecay }
    if let gradientClip { c.gradientClip = gradientClip }
    if let architectureBeta1 { c.architectureBeta1 = architectureBeta1 }
    if let architectureBeta2 { c.architectureBeta2 = architectureBeta2 }
    if let architectureWeightDecay { c.architectureWeightDecay = architectureWeightDecay }
    if let classBalanceBeta { c.classBalanceBeta = classBalanceBeta }
    if let manyAbove { c.manyAbove = manyAbove }
    if let fewBelow { c.fewBelow = fewBelow }
    if let weightLearningRateMin {
      c.weightLearningRateMin = weightLearningRateMin
      c.schedules?.weightLearningRate = .cosine(from: c.weightLearningRate, to: weightLearningRateMin)
    }
    if let keepCheckpoints { c.keepCheckpoints = keepCheckpoints }
    if let weightLearningRate {
      c.weightLearningRate = weightLearningRate
      c.schedules?.weightLearningRate = .cosine(from: weightLearningRate, to: c.weightLearningRateMin)
    }
    if let architectureLearningRate {
      c.architectureLearningRate = architectureLearningRate
      c.schedules?.architectureLearningRate = architectureLearningRate
    }
    var schedules = c.resolvedSchedules
    var edited = false
    for (text, target) in [
      (mu, ScheduleTarget.mu), (backboneMultiplier, .architectureMultiplier(.normal)),
      (instanceMultiplier, .architectureMultiplier(.instance)), (classMultiplier, .architectureMultiplier(.class)),
    ] {
      guard let text else { continue }
      do {
        try schedules.apply(ScheduleEdit(target: target, curve: try Curve(text: text)))
        edited = true
      } catch {
        throw ValidationError("--\(target == .mu ? "mu" : "arch-lr-*") '\(text)': \(error)")
      }
    }
    if edited { c.schedules = schedules }
    do {
      try c.validate()
    } catch {
      throw ValidationError("\(error)")
    }
    return c
  }
}
