import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Terminal

/// `tailnas resume RUN`: continues a stopped, interrupted or killed run from its newest checkpoint.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume", abstract: "Continue a run that stopped or crashed, from its last checkpoint.")

  @Argument(help: ArgumentHelp("The run: its directory or its id under --runs-dir.", valueName: "run"))
  var reference: String
  @Option(name: .customLong("runs-dir"), help: "Where runs are stored.") var runsDirectory = "runs"
  @Flag(help: "Print progress instead of the dashboard.") var headless = false
  @OptionGroup var display: DisplayOptions

  func run() throws {
    let directory: RunDirectory
    do {
      directory = try RunDirectory.open(reference, runsDirectory: URL(fileURLWithPath: runsDirectory))
      let log = try directory.events()
      for warning in log.warnings { printError("tailnas: \(warning)") }
      if let last = log.events.last, case .finished(let f) = last, !f.stopped {
        say("\(directory.id) already finished \(f.epochs) epochs; nothing to resume")
        return
      }
    } catch {
      throw ExitStatus.exit(for: error)
    }
    if headless {
      let progress = ConsoleProgress()
      let session: SearchSession
      do {
        session = try SearchSession.resume(run: directory, sinks: [progress], status: { say($0) })
      } catch {
        throw ExitStatus.exit(for: error)
      }
      throw Headless.run(session, progress: progress)
    }
    let app: TerminalApp
    do {
      app = try TerminalApp(options: display.terminalOptions())
    } catch {
      throw ExitStatus.exit(for: error)
    }
    let channel = EventChannel()
    let session: SearchSession
    do {
      // The dashboard shows the whole run: earlier events first, then the resumed ones.
      for event in try directory.events().events { channel.emit(event) }
      session = try SearchSession.resume(run: directory, sinks: [channel], status: { say($0) })
    } catch {
      throw ExitStatus.exit(for: error)
    }
    throw DashboardRun.watch(session, channel: channel, app: app)
  }
}
