import ArgumentParser
import Foundation
import Search
import Settings

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
    do {
      flags = try SearchConfiguration.table.entries(arguments: settings)
    } catch let error as SettingError {
      throw ValidationError(error.message)
    }
    let file = try config.map { try ConfigurationFile.read($0) }
    do {
      return try SearchConfiguration.resolve(file: file, flags: flags)
    } catch let error as SearchError {
      throw ValidationError("\(error)")
    }
  }

  /// Resolves the configuration to report problems while parsing: invalid settings with the command's
  /// usage (exit 64), a config file that cannot be read with its reason (exit 66 or 74).
  func validate() throws {
    do {
      _ = try resolve()
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
