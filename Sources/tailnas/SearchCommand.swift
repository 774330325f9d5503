import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Search

#if canImport(Glibc)
  import Glibc
#endif

/// `tailnas search`: a new search, watched in the dashboard or printed with `--headless`.
struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Run a search: the dashboard by default, progress lines with --headless."
  )

  @OptionGroup var options: SearchOptions
  @Flag(help: "Print progress (a bar on a terminal, plain lines otherwise) instead of the dashboard.")
  var headless = false
  @OptionGroup var display: DisplayOptions

  func run() throws {
    let configuration = try options.resolve()
    let runs = URL(fileURLWithPath: options.runsDirectory)
    if headless {
      try runHeadless(configuration: configuration, runsDirectory: runs)
    } else {
      try runDashboard(configuration: configuration, runsDirectory: runs, display: display)
    }
  }

  func runHeadless(configuration: SearchConfiguration, runsDirectory: URL) throws {
    throw Headless.run { sinks in
      try SearchSession.start(
        configuration: configuration, runsDirectory: runsDirectory, sinks: sinks, status: { say($0) })
    }
  }
}

/// Runs a session headless to its end and turns the outcome into an exit code.
enum Headless {
  /// Starts the session that `start` makes with a progress printer among its sinks and runs it to its end.
  static func run(start: ([EventSink]) throws -> SearchSession) -> ExitCode {
    let progress = ConsoleProgress()
    let session: SearchSession
    do {
      session = try start([progress])
    } catch {
      return ExitStatus.exit(for: error)
    }
    return run(session, progress: progress)
  }

  static func run(_ session: SearchSession, progress: ConsoleProgress) -> ExitCode {
    say("run directory: \(session.run.url.path)")
    StopSignal.install { session.controls.send(.stop) }
    session.start()
    let outcome = session.wait()
    progress.finishLine()
    printSummary(session)
    switch outcome {
    case .finished: return ExitCode(ExitStatus.success)
    case .stopped:
      say("stopped; continue with: tailnas resume \(session.run.url.path)")
      return ExitCode(ExitStatus.stopped)
    case .failed(let reason):
      printError("tailnas: the search failed: \(reason)")
      return ExitCode(ExitStatus.failed)
    }
  }

  /// Genotypes and test accuracies of the last evaluated epoch.
  static func printSummary(_ session: SearchSession) {
    let network = session.runner.network
    say("genotypes:")
    let genotypes = network.genotypes()
    for component in network.shape.components {
      say("  \(component.parameterName): \(genotypes[component]!.pythonList)")
    }
    if let last = session.runner.lastReport {
      let groups = ["many", "medium", "few"].map { "\($0) \(percent(last.groupAccuracy[$0] ?? 0))" }
      say(
        "test accuracy (epoch \(last.epoch + 1)): \(percent(last.test.accuracy)) overall, "
          + groups.joined(separator: ", "))
    }
  }
}

/// SIGINT/SIGTERM ask the engine to stop at the next step boundary (the run stays resumable); a second
/// signal exits at once.
enum StopSignal {
  nonisolated(unsafe) private static var handler: (() -> Void)?
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
  nonisolated(unsafe) private static var count = 0

  static func install(_ action: @escaping () -> Void) {
    handler = action
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        count += 1
        if count > 1 { exit(ExitStatus.stopped) }
        printError("\ntailnas: stopping at the next step (press Ctrl-C again to quit at once)")
        handler?()
      }
      source.resume()
      sources.append(source)
    }
  }
}
