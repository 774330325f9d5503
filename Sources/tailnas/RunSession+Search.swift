import Datasets
import Engine
import Foundation
import RunEvents
import RunLoop
import RunStore
import Search

extension RunSession {
  /// A new search in `runsDirectory`.
  static func startSearch(
    configuration: SearchConfiguration, runsDirectory: URL, at place: URL? = nil, sinks: [EventSink],
    watching: Watching, status: (String) -> Void
  ) throws -> RunSession {
    let (train, test) = try configuration.data.load(status: status)
    let text = configuration.tomlText()
    let run =
      try place.map { try RunDirectory.create(at: $0, configuration: text) }
      ?? RunDirectory.create(in: runsDirectory, method: configuration.method.rawValue, configuration: text)
    let (loop, controls) = try makeSearch(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: nil)
    return RunSession(run: run, loop: loop, controls: controls)
  }

  /// The search configuration stored in `run`.
  static func searchConfiguration(of run: RunDirectory) throws -> SearchConfiguration {
    do {
      return try SearchConfiguration.parse(toml: try run.configurationText(), source: run.configurationPath)
    } catch let error as SearchError {
      throw RunStoreError.notARun(path: run.url.path, reason: "\(error)")
    }
  }

  /// Continues the search of `run` from its newest checkpoint, or from its start when it was stopped before
  /// its first epoch ended.
  static func resumeSearch(run: RunDirectory, sinks: [EventSink], watching: Watching, status: (String) -> Void)
    throws -> RunSession
  {
    if run.isOwnedByLiveProcess {
      throw RunStoreError.ioFailure(path: run.url.path, reason: "another tailnas process is running this search")
    }
    let configuration = try searchConfiguration(of: run)
    let checkpoint = try newestCheckpoint(of: run)
    let (train, test) = try configuration.data.load(status: status)
    status(
      checkpoint.map { "resuming \(run.id) from \(URL(fileURLWithPath: $0.1).lastPathComponent)" }
        ?? "resuming \(run.id) from its start (it has no checkpoint yet)")
    let (loop, controls) = try makeSearch(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: checkpoint)
    return RunSession(run: run, loop: loop, controls: controls)
  }

  /// The loop of a search run, restored from `checkpoint` when given, with the run claimed.
  static func makeSearch(
    run: RunDirectory, configuration: SearchConfiguration, train: ImageDataset, test: ImageDataset,
    sinks: [EventSink], watching: Watching, checkpoint: ([UInt8], String)?, controls: ControlQueue = ControlQueue()
  ) throws -> (EpochLoop, ControlQueue) {
    let phase = try SearchPhase(
      configuration: configuration, runID: run.id, train: train, test: test,
      parallelism: ProcessWorld.current.parallelism)
    let plan = LoopPlan(
      kind: .search, schedules: configuration.schedules, keepCheckpoints: configuration.keepCheckpoints,
      onNaN: configuration.onNaN, configurationText: configuration.tomlText())
    return try makeLoop(
      run: run, phase: phase, plan: plan, sinks: sinks, watching: watching, checkpoint: checkpoint,
      controls: controls)
  }
}
