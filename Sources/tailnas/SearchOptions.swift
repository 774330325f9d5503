import ArgumentParser
import Foundation
import Search
import Settings
import Training

/// The options of a command that configures a search: a TOML file, the runs directory, and one flag per
/// setting of `SearchConfiguration.table` (parsed by the table itself, which also writes their help).
struct SearchOptions: ParsableArguments {
  @Option(help: ArgumentHelp("A TOML configuration file; flags override it.", valueName: "file")) var config: String?
  @Option(name: .customLong("runs-dir"), help: ArgumentHelp("Where runs are stored.", valueName: "dir"))
  var runsDirectory = "runs"
  @Argument(parsing: .allUnrecognized, help: .hidden) var settings: [String] = []

  /// The resolved configuration: the preset, then the config file, then the flags in order. Invalid flags or
  /// values are a `ValidationError` (exit 64 with the command's usage); an unreadable config file is a
  /// `ConfigurationFileError` (exit 66 or 74).
  func resolve() throws -> SearchConfiguration {
    let flags: [SettingEntry<SearchConfiguration>]
    let (trainingFlags, searchFlags) = TrainingConfiguration.pipelineTable.claim(settings)
    if let first = trainingFlags.first {
      throw ValidationError("\(first) is a setting of the training that follows the search; add --train")
    }
    do {
      flags = try SearchConfiguration.table.entries(arguments: searchFlags)
    } catch let error as SettingError {
      throw ValidationError(error.message)
    }
    let file = try config.map { try ConfigurationFile.read($0) }
    do {
      return try SearchConfiguration.resolve(
        file: file, flags: flags, isKnownElsewhere: TrainingConfiguration.isTrainingPath)
    } catch let error as SearchError {
      throw ValidationError("\(error)")
    }
  }

  /// A pipeline's search and training: the search as `resolve()` makes it (with the `--train-*` flags set
  /// aside), and the training of its result: the search's preset and data, the config file's `[train]`,
  /// then the `--train-*` flags.
  func resolvePipeline() throws -> (search: SearchConfiguration, training: TrainingConfiguration) {
    let (trainingArguments, searchArguments) = TrainingConfiguration.pipelineTable.claim(settings)
    var searchOnly = self
    searchOnly.settings = searchArguments
    let search = try searchOnly.resolve()
    let flags: [SettingEntry<TrainingConfiguration>]
    do {
      flags = try TrainingConfiguration.pipelineTable.entries(arguments: trainingArguments)
    } catch let error as SettingError {
      throw ValidationError(error.message)
    }
    var base = TrainingConfiguration(preset: TrainingPreset(rawValue: search.preset.rawValue) ?? .demo)
    base.data = search.data
    base.method = search.method
    let file = try config.map { try ConfigurationFile.read($0) }
    do {
      var training = try TrainingConfiguration.resolve(
        base: base, file: file, flags: flags, isKnownElsewhere: { SearchConfiguration.table.knows(path: $0) })
      training.data = search.data
      return (search, training)
    } catch let error as TrainingError {
      throw ValidationError("\(error)")
    }
  }

  /// Resolves the configuration to report problems while parsing: invalid settings with the command's
  /// usage (exit 64), a config file that cannot be read with its reason (exit 66 or 74).
  func validate(pipeline: Bool) throws {
    do {
      if pipeline { _ = try resolvePipeline() } else { _ = try resolve() }
    } catch let error as ConfigurationFileError {
      throw ExitStatus.exit(for: error)
    }
  }

  /// The runs directory as a URL.
  var runsURL: URL { URL(fileURLWithPath: runsDirectory) }

  /// The settings section of `tailnas search --help`: every flag with what it accepts and each preset's value.
  static var settingsHelp: String {
    SearchConfiguration.table.help(defaults: SearchConfiguration.presetDefaults)
  }
}
