import Architecture
import ArgumentParser
import Foundation
import Reports
import RunEvents
import RunStore
import Search
import Settings
import Training

/// The options of `tailnas train`: where the architecture comes from (a search run, its epoch, a genotypes
/// file), a TOML file, the runs directory, and one flag per setting of `TrainingConfiguration.table`.
struct TrainOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("The search run's epoch whose genotype to train (from 1; default: the last).", valueName: "n"))
  var epoch: Int?
  @Option(
    name: .customLong("genotype-file"),
    help: ArgumentHelp(
      "A genotypes.py (DARTS' or `tailnas export --genotype`) to take the genotype from.", valueName: "file"))
  var genotypeFile: String?
  @Option(
    name: .customLong("genotype-name"),
    help: ArgumentHelp("The genotype's name in --genotype-file (default: its only one).", valueName: "name"))
  var genotypeName: String?
  @Option(help: ArgumentHelp("A TOML configuration file ([train], [data]); flags override it.", valueName: "file"))
  var config: String?
  @Option(name: .customLong("runs-dir"), help: ArgumentHelp("Where runs are stored.", valueName: "dir"))
  var runsDirectory = "runs"
  @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

  /// A resolved training: its configuration, and the search run it trains the result of.
  struct Resolved {
    var configuration: TrainingConfiguration
    var source: RunDirectory?
  }

  /// Resolves the training: the preset; the source run's data, method and genotype (or the genotypes
  /// file's); the config file; the flags in order. Invalid flags or values are a `ValidationError`; a run,
  /// config or genotypes file that cannot be read throws its own error.
  func resolve() throws -> Resolved {
    let table = TrainingConfiguration.table
    let (mine, others) = table.claim(arguments)
    let unknown = others.filter { $0.hasPrefix("-") }
    if let flag = unknown.first {
      throw ValidationError(
        "\(SettingError("unknown option '\(flag)'").message)"
          + (SearchConfiguration.table.claim([flag]).mine.isEmpty ? "" : "; it is a search setting"))
    }
    guard others.count <= 1 else {
      throw ValidationError("name one search run; got \(others.joined(separator: ", "))")
    }
    let flags: [SettingEntry<TrainingConfiguration>]
    do {
      flags = try table.entries(arguments: mine)
    } catch let error as SettingError {
      throw ValidationError(error.message)
    }
    var base = TrainingConfiguration(preset: .demo)
    do {
      try table.apply(flags.filter { $0.setting.path == "train.preset" }, to: &base)
    } catch let error as SettingError {
      throw ValidationError(error.message)
    }
    var source: RunDirectory?
    if let reference = others.first {
      guard genotypeFile == nil else {
        throw ValidationError("name either a search run or --genotype-file, not both")
      }
      let run = try RunDirectory.open(reference, runsDirectory: URL(fileURLWithPath: runsDirectory))
      try Self.takeArchitecture(from: run, epoch: epoch, into: &base)
      source = run
    } else if epoch != nil {
      throw ValidationError("--epoch picks an epoch of a search run; name the run")
    }
    if let genotypeFile {
      let (text, path) = try ConfigurationFile.read(genotypeFile, kind: "genotype file")
      base.genotype = try Self.genotype(in: text, source: path, named: genotypeName)
    } else if genotypeName != nil {
      throw ValidationError("--genotype-name names a genotype in --genotype-file")
    }
    let file = try config.map { try ConfigurationFile.read($0) }
    do {
      let configuration = try TrainingConfiguration.resolve(
        base: base, file: file, flags: flags.filter { $0.setting.path != "train.preset" },
        isKnownElsewhere: { SearchConfiguration.table.knows(path: $0) })
      guard configuration.genotype != nil else {
        throw ValidationError(
          "there is no architecture to train: name a search run, or give --genotype or --genotype-file")
      }
      return Resolved(configuration: configuration, source: source)
    } catch let error as TrainingError {
      throw ValidationError("\(error)")
    }
  }

  /// The data settings, method and genotype of search run `run` at `epoch` (from 1; the last when nil).
  static func takeArchitecture(from run: RunDirectory, epoch: Int?, into base: inout TrainingConfiguration) throws {
    guard !run.isTraining else {
      throw ValidationError("\(run.id) is a training run; name the search run whose architecture to train")
    }
    let search: SearchConfiguration
    do {
      search = try SearchConfiguration.parse(toml: try run.configurationText(), source: run.configurationPath)
    } catch let error as SearchError {
      throw RunStoreError.notARun(path: run.url.path, reason: "\(error)")
    }
    let log = try run.events(salvage: true)
    for warning in log.warnings { printError("tailnas: \(warning)") }
    let history = RunHistory(events: log.events)
    guard let last = history.epochs.last else { throw RunExportError.noEpochs(run: run.id) }
    let report: EpochReport
    if let epoch {
      guard let chosen = history.report(epoch: epoch - 1) else {
        throw ValidationError(
          "\(run.id) has no epoch \(epoch); it has epochs \(history.epochs.map { String($0.epoch + 1) }.joined(separator: ", "))"
        )
      }
      report = chosen
    } else {
      report = last
    }
    guard let genotype = Genotype(cells: report.genotypes) else {
      throw ValidationError("\(run.id)'s epoch \(report.epoch + 1) has no complete genotype")
    }
    base.data = search.data
    base.method = search.method
    base.genotype = genotype
    base.sourceRun = run.id
    base.sourceEpoch = report.epoch
  }

  /// The genotype `name` of a genotypes file, or its only one.
  static func genotype(in text: String, source: String, named name: String?) throws -> Genotype {
    if let name { return try GenotypeParser.genotype(named: name, inFile: text, source: source) }
    let all = try GenotypeParser.parseFile(text, source: source)
    let distinct = Set(all.map(\.genotype))
    guard distinct.count == 1, let only = all.first else {
      throw ValidationError(
        "\(source) defines \(all.isEmpty ? "no genotype" : all.map(\.name).joined(separator: ", ")); "
          + "pick one with --genotype-name")
    }
    return only.genotype
  }

  /// The help of the training settings, with each preset's value.
  static var settingsHelp: String {
    TrainingConfiguration.table.help(defaults: TrainingConfiguration.presetDefaults)
  }
}
