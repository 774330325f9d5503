import ArgumentParser
import Foundation
import RunStore
import Terminal

/// `tailnas replay RUN`: the dashboard over a saved run, stepping through its epochs.
struct ReplayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Show a saved run in the dashboard; left/right step through epochs, p plays.")

  @OptionGroup var reference: RunReference
  @OptionGroup var display: DisplayOptions

  func run() throws {
    do {
      let directory = try reference.open()
      let log = try directory.events()
      for warning in log.warnings { printError("tailnas: \(warning)") }
      let app = try TerminalApp(options: display.terminalOptions())
      _ = try app.run(source: .replay(log.events), controls: { _ in })
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }
}
