import Architecture
import Datasets
import RunEvents
import RunLoop
import Settings

extension TrainingConfiguration {
  typealias Entry = Setting<TrainingConfiguration>

  /// Every setting of a training run: the single list from which its config file is read and written, the
  /// flags of `tailnas train` are parsed, their help is written and every value is validated. Training
  /// settings live in `[train]`; the data settings are the search's (`[data]`, `[groups]`).
  public static var table: SettingsTable<TrainingConfiguration> {
    SettingsTable(
      runSettings + DataConfiguration.settings(at: \.data) + networkSettings + loopSettings + optimizerSettings
        + scheduleSettings + augmentationSettings + otherSettings)
  }

  /// The value of the top-level `phase` key that marks a training run's config file.
  public static let phaseMarker = "training"

  static var runSettings: [Entry] {
    [
      Entry(
        section: nil, key: "phase", flag: "phase", valueName: "phase", help: "Marks a training run's config file",
        accepted: .choices([phaseMarker]), showsDefault: false, isFileOnly: true,
        read: { value, _ in
          guard value.text == phaseMarker else { throw SettingError("must be \"\(phaseMarker)\", got \(value)") }
        }, current: { _ in .text(phaseMarker) }),
      Entry(
        section: "train", key: "preset", valueName: "name",
        help: "Sizes to start from: demo (minutes), paper (C 16, 8 cells, batch 64, 50 epochs: hours), tiny (seconds)",
        accepted: .choices(TrainingPreset.allCases.map(\.rawValue)), unset: "demo", showsDefault: false,
        read: { value, root in
          let preset = try Entry.readChoice(value, TrainingPreset.self)
          var rebased = TrainingConfiguration(preset: preset)
          (rebased.genotype, rebased.sourceRun, rebased.sourceEpoch) = (root.genotype, root.sourceRun, root.sourceEpoch)
          (rebased.method, rebased.recipe) = (root.method, root.recipe)
          root = rebased
        }, current: { .text($0.preset.rawValue) }),
      .choice(
        "train", "recipe", \.recipe, valueName: "recipe",
        help: "The long-tail recipe: same as the search method (darts plain, darts-rs rs, darts-rw rw, "
          + "bbn-darts and hls bbn), or plain, rs (class-balanced sampling), rw (class-balanced weights), "
          + "bbn (two heads, cumulative learning)"),
      .optionalChoice(
        "train", "method", \.method, valueName: "method", unset: "none (plain)",
        help: "The search method whose recipe `same` follows (from the search run)"),
      Entry(
        section: "train", key: "genotype", valueName: "genotype",
        help: "The architecture, in DARTS' Python form: Genotype(normal=[...], normal_concat=[...], reduce=[...], "
          + "reduce_concat=[...]) (with instance_head and class_head cells for two heads); by default the "
          + "search run's genotype",
        accepted: .text, unset: "the source run's", showsDefault: false,
        read: { value, root in
          guard let text = value.text else { throw SettingError("must be a genotype in DARTS' Python form") }
          do {
            root.genotype = try GenotypeParser.parse(text, source: "genotype")
          } catch {
            throw SettingError("is not a usable genotype: \(error)")
          }
        }, current: { $0.genotype.map { .text($0.pythonText) } }),
      Entry(
        section: "train", key: "source_run", valueName: "run", help: "The search run whose genotype this run trains",
        accepted: .text, unset: "none", isFileOnly: true,
        read: { value, root in
          guard let text = value.text else { throw SettingError("must be a run id, got \(value)") }
          root.sourceRun = text
        }, current: { $0.sourceRun.map { .text($0) } }),
      // Epochs count from 1 in files as on the command line (`train --epoch N`) and on screen; the
      // configuration and the events count from 0.
      Entry(
        section: "train", key: "source_epoch", valueName: "n",
        help: "The source run's epoch (from 1) whose genotype this run trains", accepted: .range(.integers(atLeast: 1)),
        unset: "the last", isFileOnly: true,
        read: { value, root in root.sourceEpoch = try Entry.readInteger(value, range: .integers(atLeast: 1)) - 1 },
        current: { $0.sourceEpoch.map { .integer($0 + 1) } }),
    ]
  }

  static var networkSettings: [Entry] {
    [
      .integer("train", "init_channels", \.initChannels, range: .integers(2...256), help: "Initial channels C."),
      .integer(
        "train", "layers", \.layers, range: .integers(3...32), help: "Cells; reductions at L/3 and 2L/3."),
      .integer(
        "train", "head_cells", \.headCells, range: .integers(1...8), help: "Normal cells per head (bbn recipe)."),
      .boolean(
        "train", "auxiliary", \.auxiliary, help: "The auxiliary head after cell 2L/3 (training only, as DARTS)."),
      .number(
        "train", "auxiliary_weight", \.auxiliaryWeight, range: .closed(0...10),
        help: "Weight of the auxiliary head's loss."),
    ]
  }

  static var loopSettings: [Entry] {
    [
      .integer("train", "epochs", \.epochs, range: .integers(1...10000), help: "Training epochs."),
      .integer(
        "train", "batch_size", \.batchSize, range: .integers(2...4096),
        help: "Images per batch (per branch for the bbn recipe)."),
      .optionalInteger(
        "train", "steps_per_epoch", \.stepsPerEpoch, range: .integers(atLeast: 1),
        unset: "one pass over the long-tailed training set", help: "Steps per epoch."),
      .optionalInteger(
        "train", "threads", \.threads, range: .integers(1...256), unset: "all cores", help: "Worker threads."),
    ]
  }

  static var optimizerSettings: [Entry] {
    [
      .curveValue(
        "train", "lr", flag: "weight-lr", .start, range: .closed(0...1),
        help: "Initial learning rate: the start of train.weight_lr", get: { $0.schedules.weightLearningRate },
        set: { $0.scheduleOverrides.weightLearningRate = $1 }),
      .curveValue(
        "train", "lr_min", flag: "weight-lr-min", .end, range: .closed(0...1),
        help: "Final learning rate: the end of train.weight_lr", get: { $0.schedules.weightLearningRate },
        set: { $0.scheduleOverrides.weightLearningRate = $1 }),
      .number("train", "momentum", \.momentum, range: .halfOpen(0..<1), help: "SGD momentum."),
      .number("train", "weight_decay", \.weightDecay, range: .halfOpen(0..<1), help: "L2 weight decay."),
      .number(
        "train", "grad_clip", flag: "grad-clip", \.gradientClip, range: .positive,
        help: "Global gradient-norm bound."),
    ]
  }

  static var scheduleSettings: [Entry] {
    [
      .curve(
        "train", "weight_lr", flag: "weight-lr-schedule", target: .weightLearningRate,
        help: "The learning rate over the training (default: cosine 0.025 0)",
        get: { $0.schedules.weightLearningRate }, set: { $0.scheduleOverrides.weightLearningRate = $1 }),
      .curve(
        "train", "drop_path", flag: "drop-path-schedule", target: .dropPath,
        help: "The drop-path probability over the training (default: linear 0 0.2)",
        get: { $0.schedules.dropPath }, set: { $0.scheduleOverrides.dropPath = $1 }),
      .curveValue(
        "train", "drop_path_max", flag: "drop-path", .end, range: .closed(0...0.9),
        help: "The drop-path probability reached at the end: the end of train.drop_path (0 turns it off)",
        get: { $0.schedules.dropPath ?? .linear(from: 0, to: 0.2) },
        set: { $0.scheduleOverrides.dropPath = $1 }),
      .curve(
        "train", "mu", target: .mu,
        help: "The BBN mixing weight mu (bbn recipe; default: hls cosine 1 0, otherwise parabolic 1 0)",
        get: { $0.schedules.mu }, set: { $0.scheduleOverrides.mu = $1 }),
    ]
  }

  static var augmentationSettings: [Entry] {
    [
      .boolean("train", "cutout", \.cutout, help: "Cutout on the training images (after crop and flip)."),
      .optionalInteger(
        "train", "cutout_length", \.cutoutLength, range: .integers(1...1024),
        unset: "16 at 32x32, scaled to the image", help: "The cutout square's side."),
    ]
  }

  static var otherSettings: [Entry] {
    [
      .number(
        "train", "cb_beta", flag: "cb-beta", \.classBalanceBeta, range: .halfOpen(0..<1),
        help: "beta of the class-balanced weights (rw recipe)."),
      .integer(
        "runs", "keep_checkpoints", \.keepCheckpoints, range: .integers(atLeast: 1),
        help: "Checkpoints kept per run (the newest)."),
      .nanPolicy("runs", "on_nan", \.onNaN),
    ]
  }

  /// The configuration of each preset, for the help's defaults.
  public static var presetDefaults: [(name: String, root: TrainingConfiguration)] {
    TrainingPreset.allCases.map { ($0.rawValue, TrainingConfiguration(preset: $0)) }
  }

  /// Resolves a configuration over `base` (e.g. a preset with the source run's data and genotype): the
  /// `--preset` flag, then the file's settings, then the other flags, in order; then validates it. Keys of
  /// `isKnownElsewhere` (the search's, in a pipeline file) are skipped.
  public static func resolve(
    base: TrainingConfiguration = TrainingConfiguration(preset: .demo), file: (text: String, source: String)? = nil,
    flags: [SettingEntry<TrainingConfiguration>] = [], isKnownElsewhere: (String) -> Bool = { _ in false }
  ) throws -> TrainingConfiguration {
    let configuration: TrainingConfiguration
    do {
      configuration = try table.resolve(
        presetPath: "train.preset", base: base, file: file, flags: flags, isKnownElsewhere: isKnownElsewhere)
    } catch let error as SettingError {
      throw TrainingError.invalidSetting(error.message)
    }
    try configuration.validate()
    return configuration
  }

  /// Reads a training run's `config.toml`.
  public static func parse(toml text: String, source: String = "config") throws -> TrainingConfiguration {
    try resolve(file: (text, source))
  }

  /// The configuration as TOML, every written setting (the run's `config.toml`).
  public func tomlText() -> String { Self.table.toml(self) }
}

extension TrainingConfiguration {
  /// The training settings a pipeline (`tailnas search --train`) takes on the search's command line: every
  /// `[train]` setting but where the architecture comes from (the search gives it), each as `--train-FLAG`.
  /// The data settings are the search's.
  public static var pipelineTable: SettingsTable<TrainingConfiguration> {
    table.adapted(
      keeping: { $0.section == "train" && !["genotype", "source_run", "source_epoch", "method"].contains($0.key) },
      flag: { "train-" + $0.flag })
  }

  /// Whether `path` is a training setting (for reading a pipeline file with the search's table).
  public static func isTrainingPath(_ path: String) -> Bool {
    path.hasPrefix("train.") || path == "phase"
  }
}
