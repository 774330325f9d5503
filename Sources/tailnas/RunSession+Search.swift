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
    configuration: SearchConfiguration, runsDirectory: URL, sinks: [EventSink], watching: Watching,
    status: (String) -> Void
  ) throws -> RunSession {
    let (train, test) = try configuration.data.load(status: status)
    let run = try RunDirectory.create(
      in: runsDirectory, method: configuration.method.rawValue, configuration: configuration.tomlText())
    return try makeSearch(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: nil)
  }

  /// Continues the search of `run` from its newest readable checkpoint.
  static func resumeSearch(run: RunDirectory, sinks: [EventSink], watching: Watching, status: (String) -> Void)
    throws -> RunSession
  {
    if run.isOwnedByLiveProcess {
      throw RunStoreError.ioFailure(path: run.url.path, reason: "another tailnas process is running this search")
    }
    let configuration: SearchConfiguration
    do {
      configuration = try SearchConfiguration.parse(toml: try run.configurationText(), source: run.configurationPath)
    } catch let error as SearchError {
      throw RunStoreError.notARun(path: run.url.path, reason: "\(error)")
    }
    guard let newest = run.checkpoints().last else { throw RunStoreError.noCheckpoint(path: run.url.path) }
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try Data(contentsOf: newest))
    } catch {
      throw RunStoreError.corruptCheckpoint(path: newest.path, reason: "cannot read it: \(error.localizedDescription)")
    }
    let (train, test) = try configuration.data.load(status: status)
    status("resuming \(run.id) from \(newest.lastPathComponent)")
    return try makeSearch(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: (bytes, newest.path))
  }

  private static func makeSearch(
    run: RunDirectory, configuration: SearchConfiguration, train: ImageDataset, test: ImageDataset,
    sinks: [EventSink], watching: Watching, checkpoint: ([UInt8], String)?
  ) throws -> RunSession {
    let eventLog = try EventLogWriter(path: run.eventsPath)
    let controls = ControlQueue()
    let phase = try SearchPhase(configuration: configuration, runID: run.id, train: train, test: test)
    let loop = EpochLoop(
      phase: phase, schedules: configuration.schedules, sink: FanOutSink([eventLog] + sinks), controls: controls,
      checkpoints: CheckpointDirectory(run: run, keep: configuration.keepCheckpoints),
      nanPolicy: watching.nanPolicy(configured: configuration.onNaN))
    if let (bytes, path) = checkpoint {
      do {
        try loop.restore(from: bytes)
      } catch {
        throw RunStoreError.corruptCheckpoint(path: path, reason: "\(error)")
      }
    }
    try run.claimOwnership()
    return RunSession(run: run, loop: loop, controls: controls)
  }
}
