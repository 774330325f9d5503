import Data
import Engine
import Foundation
import RunEvents
import RunStore
import Search

/// A search bound to its run directory: data loaded, events logged, checkpoints written, the engine on
/// its own thread.
final class SearchSession: @unchecked Sendable {
  let run: RunDirectory
  let runner: SearchRunner
  let eventLog: EventLogWriter
  let controls: ControlQueue
  private let done = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var result: RunOutcome?

  private init(run: RunDirectory, runner: SearchRunner, eventLog: EventLogWriter, controls: ControlQueue) {
    self.run = run
    self.runner = runner
    self.eventLog = eventLog
    self.controls = controls
  }

  /// Loads the data of `configuration`, reporting what it does on `status`.
  static func loadData(_ configuration: SearchConfiguration, status: (String) -> Void) throws -> (
    ImageDataset, ImageDataset
  ) {
    let source = configuration.dataset
    let location = configuration.dataDirectory ?? source.defaultDirectory ?? "generated in memory"
    status("loading \(source.rawValue) (\(location))")
    return try source.load(directory: configuration.dataDirectory, seed: configuration.seed)
  }

  /// A new run in `runsDirectory`.
  static func start(
    configuration: SearchConfiguration, runsDirectory: URL, sinks: [EventSink], status: (String) -> Void
  ) throws -> SearchSession {
    let (train, test) = try loadData(configuration, status: status)
    let run = try RunDirectory.create(
      in: runsDirectory, method: configuration.method.rawValue, configuration: configuration.tomlText())
    return try make(run: run, configuration: configuration, train: train, test: test, sinks: sinks, checkpoint: nil)
  }

  /// Continues `run` from its newest readable checkpoint.
  static func resume(run: RunDirectory, sinks: [EventSink], status: (String) -> Void) throws -> SearchSession {
    if run.isOwnedByLiveProcess {
      throw RunStoreError.ioFailure(path: run.url.path, reason: "another tailnas process is running this search")
    }
    let configuration: SearchConfiguration
    do {
      configuration = try SearchConfiguration.parse(
        toml: try run.configurationText(), over: SearchConfiguration(), source: run.configurationPath)
    } catch let error as SearchError {
      throw RunStoreError.notARun(path: run.url.path, reason: "\(error)")
    }
    guard let newest = run.checkpoints().last else { throw RunStoreError.noCheckpoint(path: run.url.path) }
    let checkpoint: SafeTensors
    do {
      checkpoint = try SafeTensors(contentsOf: newest)
    } catch {
      throw RunStoreError.corruptCheckpoint(path: newest.path, reason: "\(error)")
    }
    let (train, test) = try loadData(configuration, status: status)
    status("resuming \(run.id) from \(newest.lastPathComponent)")
    return try make(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks,
      checkpoint: (checkpoint, newest.path))
  }

  private static func make(
    run: RunDirectory, configuration: SearchConfiguration, train: ImageDataset, test: ImageDataset,
    sinks: [EventSink], checkpoint: (SafeTensors, String)?
  ) throws -> SearchSession {
    let eventLog = try EventLogWriter(path: run.eventsPath)
    let controls = ControlQueue()
    let runner = try SearchRunner(
      configuration: configuration, runID: run.id, train: train, test: test,
      sink: FanOutSink([eventLog] + sinks), controls: controls,
      checkpoints: CheckpointDirectory(run: run, keep: configuration.keepCheckpoints))
    runner.storageFailure = { [weak eventLog] in eventLog?.failure }
    if let (file, path) = checkpoint {
      do {
        try runner.restore(from: file)
      } catch {
        throw RunStoreError.corruptCheckpoint(path: path, reason: "\(error)")
      }
    }
    try run.claimOwnership()
    return SearchSession(run: run, runner: runner, eventLog: eventLog, controls: controls)
  }

  /// Starts the engine thread.
  func start() {
    let thread = Thread { [self] in
      let outcome = runner.run()
      lock.lock()
      result = outcome
      lock.unlock()
      run.releaseOwnership()
      done.signal()
    }
    thread.stackSize = 16 << 20
    thread.name = "tailnas-engine"
    thread.start()
  }

  /// Whether the engine thread is still running.
  var isRunning: Bool {
    lock.lock()
    defer { lock.unlock() }
    return result == nil
  }

  /// Waits for the engine thread to end.
  func wait() -> RunOutcome {
    done.wait()
    done.signal()
    lock.lock()
    defer { lock.unlock() }
    return result!
  }
}
