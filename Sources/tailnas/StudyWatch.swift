import Dashboard
import Foundation
import Presentation
import Reports
import RunEvents
import RunStore
import Study
import Terminal

/// The study view's glue: reads the study's runs from disk for `StudyView` (re-reading a run only when its
/// events files changed), and opens a run as a followed live dashboard or a replay.
final class StudyWatch {
  let study: Study
  let runs: [StudyRun]
  private var cache: [String: (stamp: String, outcome: StudyOutcome)] = [:]

  init(study: Study, runs: [StudyRun]) {
    self.study = study
    self.runs = runs
  }

  /// The sizes and times of a run's events files and its lock holder: when none changed, nor did the run.
  private func stamp(_ run: StudyRun) -> String {
    let files = [
      run.directory.appendingPathComponent("events.jsonl"), run.directory.appendingPathComponent("train/events.jsonl"),
    ]
    let parts = files.map { url -> String in
      let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
      let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
      let time = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      return "\(size)@\(time)"
    }
    return parts.joined(separator: ",") + "|" + (StudyLock.liveHolder(of: run) ?? "")
  }

  func outcomes() -> [StudyOutcome] {
    runs.map { run in
      let stamp = stamp(run)
      if let cached = cache[run.id], cached.stamp == stamp { return cached.outcome }
      let outcome = StudyOutcome(run: run, trains: study.trains)
      cache[run.id] = (stamp, outcome)
      return outcome
    }
  }

  func content() -> TerminalApp.StudyContent {
    let outcomes = outcomes()
    let rows = outcomes.map(Self.row)
    let table = StudyReport(study: study, outcomes: outcomes).table
    return (rows, table.split(separator: "\n").map(String.init))
  }

  static func row(_ outcome: StudyOutcome) -> StudyView.Row {
    let search = outcome.search
    let training = outcome.training
    let searchPlanned = max(search?.plannedEpochs ?? outcome.run.search.epochs, 1)
    let searchDone = min(search?.epochsDone ?? 0, searchPlanned)
    var progress = Double(searchDone) / Double(searchPlanned)
    var phase = search == nil ? "" : "search"
    var epoch = searchDone
    var epochs = searchPlanned
    if let planned = outcome.run.training?.epochs {
      let trainPlanned = max(training?.plannedEpochs ?? planned, 1)
      let trainDone = min(training?.epochsDone ?? 0, trainPlanned)
      progress = (progress + Double(trainDone) / Double(trainPlanned)) / 2
      if training?.started != nil {
        phase = "train"
        epoch = trainDone
        epochs = trainPlanned
      }
    }
    if outcome.isFinished { progress = 1 }
    let word = outcome.state.word == "missing" ? "not started" : outcome.state.word
    return StudyView.Row(
      values: outcome.run.values.map(\.value.plain), id: outcome.run.id, phase: phase, epoch: epoch, epochs: epochs,
      progress: progress, searchTop1: outcome.searchTop1, trainedTop1: outcome.trainedTop1(), state: word)
  }

  /// Run `index` for the dashboard: followed while its worker holds it, else replayed.
  func open(_ index: Int) -> TerminalApp.OpenedRun? {
    let run = runs[index]
    let files =
      [run.directory.appendingPathComponent("events.jsonl").path]
      + (study.trains ? [run.directory.appendingPathComponent("train/events.jsonl").path] : [])
    if StudyLock.liveHolder(of: run) != nil {
      let follower = EventFollower(paths: files)
      follower.start()
      return (
        .live(follower.channel, isRunning: { StudyLock.liveHolder(of: run) != nil }), { follower.stop() }
      )
    }
    guard let search = run.searchRun else { return nil }
    var events: [RunEvent] = []
    for directory in [search] + search.trainingRuns() {
      guard let log = try? directory.events(salvage: true) else { return nil }
      events += log.events
    }
    return (.replay(events), {})
  }
}
