import ArgumentParser
import Foundation
import RunStore

/// The run a command acts on: its directory, or its id under `--runs-dir`.
struct RunReference: ParsableArguments {
  @Argument(help: ArgumentHelp("The run: its directory or its id under --runs-dir.", valueName: "run"))
  var reference: String
  @Option(name: .customLong("runs-dir"), help: ArgumentHelp("Where runs are stored.", valueName: "dir"))
  var runsDirectory = "runs"

  /// The runs directory as a URL.
  var runsURL: URL { URL(fileURLWithPath: runsDirectory) }

  /// Opens the run.
  func open() throws -> RunDirectory {
    try RunDirectory.open(reference, runsDirectory: runsURL)
  }
}
