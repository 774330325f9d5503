import ArgumentParser
import Dashboard
import Foundation
import RunEvents
import Search
import Terminal

extension SearchCommand {
  /// A new search on the engine thread, watched in the dashboard on this thread.
  func runDashboard(configuration: SearchConfiguration, runsDirectory: URL, display: DisplayOptions) throws {
    throw DashboardRun.run(display: display) { sinks in
      try RunSession.startSearch(
        configuration: configuration, runsDirectory: runsDirectory, sinks: sinks, watching: .dashboard,
        status: { say($0) })
    }
  }
}

/// Runs the dashboard over a live session and turns how it ended into an exit code.
enum DashboardRun {
  /// Opens the terminal first (an unusable one fails before any work), then starts the session that
  /// `start` makes with the dashboard's channel among its sinks, after `history` (the earlier events of a
  /// resumed run), and watches it.
  static func run(
    display: DisplayOptions, history: [RunEvent] = [], start: ([EventSink]) throws -> RunSession
  ) -> ExitCode {
    let app: TerminalApp
    do {
      app = try TerminalApp(options: display.terminalOptions())
    } catch {
      return ExitStatus.exit(for: error)
    }
    let channel = EventChannel(capacity: history.count + 1024)
    for event in history { channel.emit(event) }
    let session: RunSession
    do {
      session = try start([channel])
    } catch {
      return ExitStatus.exit(for: error)
    }
    return watch(session, channel: channel, app: app)
  }

  static func watch(_ session: RunSession, channel: EventChannel, app: TerminalApp) -> ExitCode {
    session.start()
    let exit: TerminalExit
    do {
      exit = try app.run(
        source: .live(channel, isRunning: { session.isRunning }), controls: { session.controls.send($0) })
    } catch {
      exit = .failed("\(error)")
    }
    if case .finishedAndQuit = exit {} else { session.controls.send(.stop) }
    if session.isRunning { say("stopping the run at the next step...") }
    let outcome = session.wait()
    if case .failed(let message) = exit { printError("tailnas: \(message)") }
    say("run directory: \(session.run.url.path)")
    switch outcome {
    case .finished:
      return ExitCode(ExitStatus.success)
    case .stopped:
      say("the run is resumable: tailnas resume \(session.run.url.path)")
      return ExitCode(ExitStatus.stopped)
    case .failed(let reason):
      printError("tailnas: the run failed: \(reason)")
      return ExitCode(ExitStatus.failed)
    }
  }
}

extension DisplayOptions {
  /// Terminal options with the theme directory resolved.
  func terminalOptions() -> TerminalOptions {
    TerminalOptions(themeDirectory: themeDirectory(), ascii: ascii, themeName: theme)
  }

  /// `--themes`, `$TAILNAS_THEMES`, `./themes`, or `themes/` of the repository the binary was built in.
  func themeDirectory() -> URL? {
    var candidates: [String] = []
    if let themes { candidates.append(themes) }
    if let env = ProcessInfo.processInfo.environment["TAILNAS_THEMES"] { candidates.append(env) }
    candidates.append("themes")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../../../themes").path)
    candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../share/tailnas/themes").path)
    return candidates.map { URL(fileURLWithPath: $0).standardizedFileURL }.first { url in
      ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).contains { $0.hasSuffix(".toml") }
    }
  }
}
