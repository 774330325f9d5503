import ArgumentParser
import Foundation
import Presentation
import RunEvents
import RunStore
import Search

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a session headless to its end and turns the outcome into an exit code.
enum Headless {
  /// Starts the session that `start` makes with a progress printer among its sinks and runs it to its end.
  static func run(start: ([EventSink]) throws -> RunSession) -> ExitCode {
    let progress = ConsoleProgress()
    let session: RunSession
    do {
      session = try start([progress])
    } catch {
      return ExitStatus.exit(for: error)
    }
    return run(session, progress: progress)
  }

  static func run(_ session: RunSession, progress: ConsoleProgress) -> ExitCode {
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
      printError("tailnas: the run failed: \(reason)")
      printError("tailnas: continue it from its last checkpoint with: tailnas resume \(session.run.url.path)")
      return ExitCode(ExitStatus.failed)
    }
  }

  /// For each phase the session ran: its genotypes and the test accuracies of its last evaluated epoch.
  static func printSummary(_ session: RunSession) {
    let loops = session.loops
    for (run, loop) in loops {
      guard let last = loop.lastReport else { continue }
      let started = loop.startedEvent()
      if loops.count > 1 { say("\(started.phaseKind.title) (\(run.id)):") }
      if started.phaseKind == .training, let parameters = started.parameterCount {
        say("  trained \(Format.parameters(parameters)) parameters with the \(started.recipe ?? "plain") recipe")
      }
      if !last.genotypes.isEmpty {
        say("genotypes:")
        for component in started.components {
          guard let genotype = last.genotypes[component] else { continue }
          say("  \(component.parameterName): \(genotype.pythonList)")
        }
      }
      let groups = ["many", "medium", "few"].map { "\($0) \(Format.percent(last.groupAccuracy[$0] ?? .nan))" }
      say(
        "test accuracy (epoch \(last.epoch + 1)): \(Format.percent(last.test.accuracy)) overall, "
          + groups.joined(separator: ", "))
    }
  }
}
