import ArgumentParser
import Foundation
import RunEvents
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
      // A search run's training runs follow it, so a pipeline replays as one session (P switches phases).
      var events: [RunEvent] = []
      for run in [directory] + directory.trainingRuns() {
        let log = try run.events(salvage: true)
        for warning in log.warnings { printError("tailnas: \(warning)") }
        events += log.events
      }
      let app = try TerminalApp(options: display.terminalOptions())
      _ = try app.run(source: .replay(events), controls: { _ in })
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }
}
