import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Study

/// Runs a study's runs in this process: one run (`--job K`) or, as a worker, every run that needs work and
/// that no other worker holds, one after another, each under its lock.
enum StudyExecution {
  /// Runs `run` to its end (or to a stop), headless: it starts it, continues its search or its training, or
  /// says it is done. Returns the exit code of the run.
  static func execute(_ run: StudyRun, of study: Study, threads: Int?, retryFailed: Bool = false) -> ExitCode {
    var run = run
    run.search.threads = threads
    run.training?.threads = threads
    let state = run.state(trains: study.trains)
    say("study \(study.name): run \(run.index) \(run.id) (\(run.label)): \(describe(state))")
    guard needsWork(state, retryFailed: retryFailed) else { return ExitCode(ExitStatus.success) }
    let lock: StudyLock
    do {
      guard let taken = try StudyLock.acquire(run, note: { say("study \(study.name): \($0)") }) else {
        say("study \(study.name): another worker holds \(run.id); leaving it")
        return ExitCode(ExitStatus.success)
      }
      lock = taken
    } catch {
      return ExitStatus.exit(for: error)
    }
    defer { lock.release() }
    // The state again, under the lock: another worker may have finished it meanwhile.
    let current = run.state(trains: study.trains)
    guard needsWork(current, retryFailed: retryFailed) else { return ExitCode(ExitStatus.success) }
    if case .failed = current { say("study \(study.name): retrying \(run.id) from its newest checkpoint") }
    let status: @Sendable (String) -> Void = { say($0) }
    return Headless.run { sinks in
      switch current {
      case .missing:
        if let training = run.training {
          return try RunSession.startPipeline(
            search: run.search, training: training, runsDirectory: study.runsDirectory, at: run.directory,
            sinks: sinks, watching: .headless, status: status)
        }
        return try RunSession.startSearch(
          configuration: run.search, runsDirectory: study.runsDirectory, at: run.directory, sinks: sinks,
          watching: .headless, status: status)
      case .searchUnfinished, .trainingPending, .failed:
        guard let search = run.searchRun else { throw RunStoreError.missing(path: run.directory.path) }
        guard let training = run.training else {
          return try RunSession.resumeSearch(run: search, sinks: sinks, watching: .headless, status: status)
        }
        let trainingRun =
          try search.trainingRuns().first ?? search.createTrainingRun(configuration: training.tomlText())
        let finished = (try? RunSummary(directory: search).status) == .finished
        return try RunSession.resumePipeline(
          run: search, trainingRun: trainingRun, searchFinished: finished, sinks: sinks, watching: .headless,
          status: status)
      default:
        throw StudyError.invalid("\(run.id) has nothing to do")
      }
    }
  }

  /// Works through the study: every run that needs work and is free, in grid order, until none is left or a
  /// stop signal came. Returns failure when a run failed.
  static func work(_ study: Study, threads: Int?, retryFailed: Bool = false) throws -> ExitCode {
    var failed = 0
    var done = Set<String>()
    while !StopSignal.received {
      let runs = try study.runs()
      guard
        let next = runs.first(where: {
          !done.contains($0.id) && needsWork($0.state(trains: study.trains), retryFailed: retryFailed)
        })
      else { break }
      done.insert(next.id)
      let code = execute(next, of: study, threads: threads, retryFailed: retryFailed)
      if code.rawValue == ExitStatus.stopped { return code }
      if code.rawValue != ExitStatus.success { failed += 1 }
    }
    if StopSignal.received { return ExitCode(ExitStatus.stopped) }
    return ExitCode(failed > 0 ? ExitStatus.failed : ExitStatus.success)
  }

  /// Whether a worker takes a run in `state`: stopped, interrupted, unfinished or missing ones, and failed ones too
  /// with `--retry-failed`.
  static func needsWork(_ state: StudyRunState, retryFailed: Bool) -> Bool {
    if case .failed = state { return retryFailed }
    return state.needsWork
  }

  static func describe(_ state: StudyRunState) -> String {
    switch state {
    case .missing: "not started"
    case .running(let owner): "running (\(owner))"
    case .searchUnfinished(let epochs, let of, _): "search \(state.word) after \(epochs)/\(of) epochs"
    case .trainingPending(let epochs, let of): "searched; training at \(epochs)/\(of) epochs"
    case .finished: "finished"
    case .failed(let reason): "failed: \(reason)"
    }
  }
}
