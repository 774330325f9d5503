import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Terminal

/// `tailnas resume RUN`: continues a stopped, interrupted or killed run from its newest checkpoint.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume", abstract: "Continue a run that stopped or crashed, from its last checkpoint.")

  @OptionGroup var reference: RunReference
  @Flag(help: "Print progress instead of the dashboard.") var headless = false
  @OptionGroup var display: DisplayOptions

  func run() throws {
    let directory: RunDirectory
    let log: EventLog
    do {
      directory = try reference.open()
      log = try directory.events()
      for warning in log.warnings { printError("tailnas: \(warning)") }
      if let last = log.events.last, case .finished(let f) = last, !f.stopped {
        say("\(directory.id) already finished \(f.epochs) epochs; nothing to resume")
        return
      }
    } catch {
      throw ExitStatus.exit(for: error)
    }
    if headless {
      throw Headless.run { sinks in
        try RunSession.resumeSearch(run: directory, sinks: sinks, watching: .headless, status: { say($0) })
      }
    }
    // The dashboard shows the whole run: earlier events first, then the resumed ones.
    throw DashboardRun.run(display: display, history: log.events) { sinks in
      try RunSession.resumeSearch(run: directory, sinks: sinks, watching: .dashboard, status: { say($0) })
    }
  }
}
