import ArgumentParser
import Foundation
import RunStore
import Terminal

/// `tailnas replay RUN`: the dashboard over a saved run, stepping through its epochs.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Show a saved run in the dashboard; left/right step through epochs, p plays.")

  @Argument(help: ArgumentHelp("The run: its directory or its id under --runs-dir.", valueName: "run"))
  var reference: String
  @Option(name: .customLong("runs-dir"), help: "Where runs are stored.") var runsDirectory = "runs"
  @OptionGroup var display: DisplayOptions

  func run() throws {
    do {
      let directory = try RunDirectory.open(reference, runsDirectory: URL(fileURLWithPath: runsDirectory))
      let log = try directory.events()
      for warning in log.warnings { printError("tailnas: \(warning)") }
      let app = try TerminalApp(options: display.terminalOptions())
      _ = try app.run(source: .replay(log.events), controls: { _ in })
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }
}
