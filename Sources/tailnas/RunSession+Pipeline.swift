import Architecture
import Datasets
import Foundation
import RunEvents
import RunLoop
import RunStore
import Search
import Training

extension RunSession {
  /// A pipeline: a new search, then the training of its result, on one engine thread with one set of
  /// controls; the training run (`<search run>/train`) is created pending at the start and gets its
  /// genotype when the search ends.
  static func startPipeline(
    search: SearchConfiguration, training: TrainingConfiguration, runsDirectory: URL, at place: URL? = nil,
    sinks: [EventSink], watching: Watching, status: @escaping @Sendable (String) -> Void
  ) throws -> RunSession {
    let (train, test) = try search.data.load(status: status)
    let run =
      try place.map { try RunDirectory.create(at: $0, configuration: search.tomlText()) }
      ?? RunDirectory.create(in: runsDirectory, method: search.method.rawValue, configuration: search.tomlText())
    let trainingRun = try run.createTrainingRun(configuration: training.tomlText())
    let (loop, controls) = try makeSearch(
      run: run, configuration: search, train: train, test: test, sinks: sinks, watching: watching, checkpoint: nil)
    return pipeline(
      run: run, searchLoop: loop, trainingRun: trainingRun, training: training, data: (train, test), sinks: sinks,
      watching: watching, controls: controls, status: status)
  }

  /// The session that runs `searchLoop` (nil when the search has finished) and then trains its result in
  /// `trainingRun` (resuming it from its newest checkpoint when it has one).
  static func pipeline(
    run: RunDirectory, searchLoop: EpochLoop?, trainingRun: RunDirectory, training: TrainingConfiguration,
    data: (ImageDataset, ImageDataset), sinks: [EventSink], watching: Watching, controls: ControlQueue,
    status: @escaping @Sendable (String) -> Void
  ) -> RunSession {
    RunSession(run: run, controls: controls) { session in
      if let searchLoop {
        session.began(run, searchLoop)
        let outcome = searchLoop.run()
        guard outcome == .finished else { return outcome }
      }
      do {
        var configuration = training
        if configuration.genotype == nil {
          try TrainOptions.takeArchitecture(from: run, epoch: nil, into: &configuration)
          try trainingRun.writeConfiguration(configuration.tomlText())
        }
        let checkpoint = try newestCheckpoint(of: trainingRun)
        if watching == .headless {
          status(
            "search \(run.id) finished; now training its genotype in \(trainingRun.id)"
              + (checkpoint.map { " from \(URL(fileURLWithPath: $0.1).lastPathComponent)" } ?? ""))
        }
        let (loop, _) = try makeTraining(
          run: trainingRun, configuration: configuration, train: data.0, test: data.1, sinks: sinks,
          watching: watching, checkpoint: checkpoint, controls: controls)
        session.began(trainingRun, loop)
        return loop.run()
      } catch {
        let reason = "cannot start the training of \(run.id): \(error)"
        for sink in sinks { try? sink.emit(.failed(RunFailed(reason: reason))) }
        return .failed(reason)
      }
    }
  }

  /// Continues the pipeline of search run `run` into its pending or unfinished training run `trainingRun`:
  /// the search first when it has not finished.
  static func resumePipeline(
    run: RunDirectory, trainingRun: RunDirectory, searchFinished: Bool, sinks: [EventSink], watching: Watching,
    status: @escaping @Sendable (String) -> Void
  ) throws -> RunSession {
    let search = try searchConfiguration(of: run)
    let training = try TrainingConfiguration.parse(
      toml: try trainingRun.configurationText(), source: trainingRun.configurationPath)
    let (train, test) = try search.data.load(status: status)
    var loop: EpochLoop?
    let controls = ControlQueue()
    if !searchFinished {
      if run.isOwnedByLiveProcess {
        throw RunStoreError.ioFailure(path: run.url.path, reason: "another tailnas process is running this search")
      }
      let checkpoint = try newestCheckpoint(of: run)
      status(
        checkpoint.map { "resuming \(run.id) from \(URL(fileURLWithPath: $0.1).lastPathComponent)" }
          ?? "resuming \(run.id) from its start (it has no checkpoint yet)")
      (loop, _) = try makeSearch(
        run: run, configuration: search, train: train, test: test, sinks: sinks, watching: watching,
        checkpoint: checkpoint, controls: controls)
    }
    return pipeline(
      run: run, searchLoop: loop, trainingRun: trainingRun, training: training, data: (train, test), sinks: sinks,
      watching: watching, controls: controls, status: status)
  }
}
