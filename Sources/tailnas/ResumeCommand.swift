import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Terminal

/// `tailnas resume RUN`: continues a stopped, interrupted, failed or killed run from its newest checkpoint
/// (from its start when it has none). A search run whose pipeline training has not finished goes on into it.
struct ResumeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resume",
    abstract: "Continue a run that stopped or crashed, from its last checkpoint.",
    discussion: """
      RUN is a search run or a training run (RUN/train). A search started with --train resumes its search if \
      that has not finished, then trains its result (or resumes that training).
      """)

  @OptionGroup var reference: RunReference
  @Flag(help: "Print progress instead of the dashboard.") var headless = false
  @Flag(
    help: "Continue although events.jsonl has damaged lines: they stay in the file and every reader skips them.")
  var salvage = false
  @OptionGroup var display: DisplayOptions

  /// What resuming a run does.
  enum Plan {
    case search
    case training
    case pipeline(training: RunDirectory, searchFinished: Bool)
  }

  func run() throws {
    let directory: RunDirectory
    let history: [RunEvent]
    let plan: Plan
    do {
      directory = try reference.open()
      let log = try directory.events(salvage: salvage)
      for warning in log.warnings { printError("tailnas: \(warning)") }
      let summary = RunSummary(id: directory.id, events: log.events)
      let finished = summary.status == .finished
      if directory.isTraining {
        guard !finished else { return say("\(directory.id) already finished its training; nothing to resume") }
        plan = .training
        history = log.events
      } else if let training = directory.trainingRuns().last, try RunSummary(directory: training).status != .finished {
        plan = .pipeline(training: training, searchFinished: finished)
        history = log.events + (finished ? try training.events(salvage: salvage).events : [])
      } else {
        guard !finished else {
          return say("\(directory.id) already finished \(summary.epochsDone) epochs; nothing to resume")
        }
        plan = .search
        history = log.events
      }
    } catch RunStoreError.corruptEvents(let path, let line, let reason) {
      printError("tailnas: \(path):\(line) is damaged: \(reason)")
      printError(
        "tailnas: the other lines and the checkpoints are intact; `tailnas resume \(reference.reference) --salvage` "
          + "continues and leaves the damaged line for every reader to skip (or delete it first: "
          + "sed -i '\(line)d' \(path))")
      throw ExitCode(ExitStatus.dataError)
    } catch {
      throw ExitStatus.exit(for: error)
    }
    let watching: Watching = headless || !Console.isTerminal ? .headless : .dashboard
    let start: ([EventSink]) throws -> RunSession = { sinks in
      switch plan {
      case .search:
        try RunSession.resumeSearch(run: directory, sinks: sinks, watching: watching, status: { say($0) })
      case .training:
        try RunSession.resumeTraining(run: directory, sinks: sinks, watching: watching, status: { say($0) })
      case .pipeline(let training, let searchFinished):
        try RunSession.resumePipeline(
          run: directory, trainingRun: training, searchFinished: searchFinished, sinks: sinks, watching: watching,
          status: { say($0) })
      }
    }
    if watching == .headless {
      if !headless { printError("tailnas: standard output is not a terminal; running headless") }
      throw Headless.run(start: start)
    }
    // The dashboard shows the whole run: earlier events first, then the resumed ones.
    throw DashboardRun.run(display: display, history: history, start: start)
  }
}
