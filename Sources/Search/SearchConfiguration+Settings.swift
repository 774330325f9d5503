import Architecture
import Datasets
import RunEvents
import RunLoop
import Settings

extension SearchConfiguration {
  /// Every setting of a search: the single list from which config files are read and written, the flags of
  /// `tailnas search` are parsed, their help is written and every value is validated.
  public static var table: SettingsTable<SearchConfiguration> {
    SettingsTable(
      runSettings + DataConfiguration.settings(at: \.data) + [validationLimitSetting] + networkSettings
        + loopSettings + weightSettings + architectureSettings + scheduleSettings + otherSettings)
  }

  typealias Entry = Setting<SearchConfiguration>

  static var runSettings: [Entry] {
    [
      .choice(nil, "method", \.method, valueName: "method", help: "The search method."),
      Entry(
        section: nil, key: "preset", valueName: "name",
        help: "Sizes to start from: demo (minutes), paper (C 16, 8 layers, batch 64, 50 epochs) or tiny (seconds)",
        accepted: .choices(SearchPreset.allCases.map(\.rawValue)), unset: "demo", showsDefault: false,
        read: { value, root in
          let preset = try Entry.readChoice(value, SearchPreset.self)
          root = SearchConfiguration(preset: preset, method: root.method)
        }, current: { .text($0.preset.rawValue) }, check: { _ in nil }),
    ]
  }

  static var validationLimitSetting: Entry {
    .optionalInteger(
      "data", "validation_limit", \.validationLimit, range: .integers(atLeast: 10), unset: "all",
      help: "Architecture-half images evaluated per epoch.")
  }

  static var networkSettings: [Entry] {
    [
      .integer("network", "init_channels", \.initChannels, range: .integers(1...256), help: "Initial channels C."),
      .integer(
        "network", "layers", \.layers, range: .integers(3...32), help: "Backbone cells; reductions at L/3 and 2L/3."),
      .integer(
        "network", "head_cells", \.headCells, range: .integers(1...8),
        help: "Searchable normal cells per head (two-head methods)."),
    ]
  }

  static var loopSettings: [Entry] {
    [
      .integer("search", "epochs", \.epochs, range: .integers(1...10000), help: "Search epochs."),
      .integer(
        "search", "batch_size", \.batchSize, range: .integers(2...4096),
        help: "Images per batch (per branch for two-head methods)."),
      .optionalInteger(
        "search", "steps_per_epoch", \.stepsPerEpoch, range: .integers(atLeast: 1),
        unset: "one pass over the weight half", help: "Steps per epoch."),
      .choice("search", "order", \.order, help: "Architecture gradient: first or second order (DARTS)."),
      .optionalInteger(
        "search", "threads", \.threads, range: .integers(1...256), unset: "all cores", help: "Worker threads."),
    ]
  }

  static var weightSettings: [Entry] {
    [
      .curveValue(
        "weights", "lr", flag: "weight-lr", .start, range: .closed(0...1),
        help: "Initial weight learning rate: the start of schedules.weight_lr",
        get: { $0.schedules.weightLearningRate },
        set: { $0.scheduleOverrides.weightLearningRate = $1 }),
      .curveValue(
        "weights", "lr_min", flag: "weight-lr-min", .end, range: .closed(0...1),
        help: "Final weight learning rate: the end of schedules.weight_lr", get: { $0.schedules.weightLearningRate },
        set: { $0.scheduleOverrides.weightLearningRate = $1 }),
      .number("weights", "momentum", \.momentum, range: .halfOpen(0..<1), help: "SGD momentum of the weights."),
      .number(
        "weights", "weight_decay", \.weightDecay, range: .halfOpen(0..<1), help: "L2 weight decay of the weights."),
      .number(
        "weights", "grad_clip", flag: "grad-clip", \.gradientClip, range: .positive,
        help: "Global gradient-norm bound of the weight step."),
    ]
  }

  static var architectureSettings: [Entry] {
    [
      Entry(
        section: "architecture", key: "lr", flag: "arch-lr", valueName: "lr",
        help: "Base architecture learning rate lr_alpha; each part's rate is lr_alpha times its multiplier.",
        accepted: .range(.closed(0...1)),
        read: { value, root in
          root.scheduleOverrides.architectureLearningRate = try Entry.readNumber(value, range: .closed(0...1))
        }, current: { .number($0.schedules.architectureLearningRate) },
        check: { root in
          let lr = root.schedules.architectureLearningRate
          return NumberRange.closed(0...1).contains(lr) ? nil : "must be in 0...1, got \(lr)"
        }),
      .number(
        "architecture", "beta1", flag: "arch-beta1", \.architectureBeta1, range: .halfOpen(0..<1),
        help: "Adam beta1 of the alphas."),
      .number(
        "architecture", "beta2", flag: "arch-beta2", \.architectureBeta2, range: .halfOpen(0..<1),
        help: "Adam beta2 of the alphas."),
      .number(
        "architecture", "weight_decay", flag: "arch-weight-decay", \.architectureWeightDecay,
        range: .halfOpen(0..<1), help: "L2 weight decay of the alphas."),
    ]
  }

  static var scheduleSettings: [Entry] {
    let fixed: [Entry] = [
      .curve(
        "schedules", "mu", target: .mu,
        help:
          "The BBN mixing weight mu over the search (default: the method's; hls cosine 1 0, bbn-darts parabolic 1 0)",
        get: { $0.schedules.mu }, set: { $0.scheduleOverrides.mu = $1 }),
      .curve(
        "schedules", "weight_lr", flag: "weight-lr-schedule", target: .weightLearningRate,
        help: "The weight learning rate over the search (default: cosine 0.025 0.001)",
        get: { $0.schedules.weightLearningRate },
        set: { $0.scheduleOverrides.weightLearningRate = $1 }),
    ]
    let multipliers: [Entry] = ArchitecturePart.allCases.map { part in
      let hls = SearchMethod.hls.defaultSchedules.multiplier(part).text
      return .curve(
        "schedules", part.rawValue, flag: "arch-lr-\(part.rawValue)", target: .architectureMultiplier(part),
        help: "HLS multiplier of the \(part.title) architecture learning rate (default: hls \(hls), others constant 1)",
        get: { $0.schedules.multipliers[part] }, set: { $0.scheduleOverrides.multipliers[part] = $1 })
    }
    return fixed + multipliers
  }

  static var otherSettings: [Entry] {
    [
      .number(
        "loss", "cb_beta", flag: "cb-beta", \.classBalanceBeta, range: .halfOpen(0..<1),
        help: "beta of the class-balanced loss weights (darts-rw)."),
      .integer(
        "runs", "keep_checkpoints", \.keepCheckpoints, range: .integers(atLeast: 1),
        help: "Checkpoints kept per run (the newest)."),
      .nanPolicy("runs", "on_nan", \.onNaN),
    ]
  }

  /// The configuration of each preset, for the help's defaults.
  public static var presetDefaults: [(name: String, root: SearchConfiguration)] {
    SearchPreset.allCases.map { ($0.rawValue, SearchConfiguration(preset: $0)) }
  }

  /// Resolves a configuration: the preset (the `--preset` flag, else the file's `preset`, else demo), then
  /// the file's settings, then the flags, in the order given; then validates it.
  public static func resolve(
    file: (text: String, source: String)? = nil, flags: [SettingEntry<SearchConfiguration>] = [],
    isKnownElsewhere: (String) -> Bool = { _ in false }
  ) throws -> SearchConfiguration {
    let configuration: SearchConfiguration
    do {
      configuration = try table.resolve(
        presetPath: "preset", base: SearchConfiguration(preset: .demo), file: file, flags: flags,
        isKnownElsewhere: isKnownElsewhere)
    } catch let error as SettingError {
      throw SearchError.invalidSetting(error.message)
    }
    try configuration.validate()
    return configuration
  }

  /// Reads a TOML configuration (e.g. a run's `config.toml`) over the defaults.
  public static func parse(toml text: String, source: String = "config") throws -> SearchConfiguration {
    try resolve(file: (text, source))
  }

  /// The configuration as TOML, every written setting (the run's `config.toml`).
  public func tomlText() -> String { Self.table.toml(self) }
}
