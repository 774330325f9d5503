import Datasets
import Engine
import Foundation
import Presentation
import RunEvents
import RunLoop
import RunStore
import Training

extension RunSession {
  /// A new training run: inside its source search run (`<run>/train`, `train-2`, ...) or, for a genotype
  /// given by hand, a new run under `runsDirectory`.
  static func startTraining(
    configuration: TrainingConfiguration, source: RunDirectory?, runsDirectory: URL, sinks: [EventSink],
    watching: Watching, status: (String) -> Void
  ) throws -> RunSession {
    let (train, test) = try configuration.data.load(status: status)
    let run = try newTrainingRun(configuration: configuration, source: source, runsDirectory: runsDirectory)
    let (loop, controls) = try makeTraining(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: nil)
    return RunSession(run: run, loop: loop, controls: controls)
  }

  /// A new training run's directory.
  static func newTrainingRun(configuration: TrainingConfiguration, source: RunDirectory?, runsDirectory: URL) throws
    -> RunDirectory
  {
    if let source { return try source.createTrainingRun(configuration: configuration.tomlText()) }
    return try RunDirectory.create(
      in: runsDirectory, method: "train-\(configuration.resolvedRecipe.rawValue)",
      configuration: configuration.tomlText())
  }

  /// The configuration stored in training run `run`; a pipeline's pending run without a genotype yet takes
  /// the last epoch's genotype of the search run that holds it.
  static func trainingConfiguration(of run: RunDirectory) throws -> TrainingConfiguration {
    var configuration: TrainingConfiguration
    do {
      configuration = try TrainingConfiguration.parse(toml: try run.configurationText(), source: run.configurationPath)
    } catch let error as TrainingError {
      throw RunStoreError.notARun(path: run.url.path, reason: "\(error)")
    }
    if configuration.genotype == nil, let parent = run.parent {
      try TrainOptions.takeArchitecture(from: parent, epoch: nil, into: &configuration)
      try run.writeConfiguration(configuration.tomlText())
    }
    return configuration
  }

  /// Continues training run `run` from its newest checkpoint, or starts it when it never began.
  static func resumeTraining(run: RunDirectory, sinks: [EventSink], watching: Watching, status: (String) -> Void)
    throws -> RunSession
  {
    if run.isOwnedByLiveProcess {
      throw RunStoreError.ioFailure(path: run.url.path, reason: "another tailnas process is running this training")
    }
    let configuration = try trainingConfiguration(of: run)
    let checkpoint = try newestCheckpoint(of: run)
    let (train, test) = try configuration.data.load(status: status)
    if let checkpoint { status("resuming \(run.id) from \(URL(fileURLWithPath: checkpoint.1).lastPathComponent)") }
    let (loop, controls) = try makeTraining(
      run: run, configuration: configuration, train: train, test: test, sinks: sinks, watching: watching,
      checkpoint: checkpoint)
    return RunSession(run: run, loop: loop, controls: controls)
  }

  /// The bytes and path of `run`'s newest intact checkpoint, nil when it has none. A damaged checkpoint (torn,
  /// truncated, or failing its checksum) is reported on standard error and the next older one is tried; when
  /// every one is damaged the error names them all and says how to start over.
  static func newestCheckpoint(of run: RunDirectory) throws -> ([UInt8], String)? {
    let files = run.checkpoints()
    guard !files.isEmpty else { return nil }
    var damaged: [String] = []
    for file in files.reversed() {
      do {
        let data = try Data(contentsOf: file)
        _ = try SafeTensors(bytes: data, name: file.lastPathComponent)
        if !damaged.isEmpty {
          printError("tailnas: using \(file.lastPathComponent), the newest intact checkpoint")
        }
        return ([UInt8](data), file.path)
      } catch {
        let reason = (error as? SafeTensorsError).map { "\($0)" } ?? "cannot read it: \(Format.reason(error))"
        printError("tailnas: checkpoint \(file.path) is damaged: \(reason)")
        damaged.append(file.lastPathComponent)
      }
    }
    throw RunStoreError.corruptCheckpoint(
      path: run.checkpointsURL.path,
      reason: "every checkpoint is damaged (\(damaged.joined(separator: ", "))); move the checkpoints directory "
        + "away to run \(run.id) again from its start")
  }

  /// The loop of a training run, restored from `checkpoint` when given, with the run claimed.
  static func makeTraining(
    run: RunDirectory, configuration: TrainingConfiguration, train: ImageDataset, test: ImageDataset,
    sinks: [EventSink], watching: Watching, checkpoint: ([UInt8], String)?, controls: ControlQueue = ControlQueue()
  ) throws -> (EpochLoop, ControlQueue) {
    let phase = try TrainingPhase(
      configuration: configuration, runID: run.id, train: train, test: test,
      parallelism: ProcessWorld.current.parallelism)
    let plan = LoopPlan(
      kind: .training, schedules: configuration.schedules, keepCheckpoints: configuration.keepCheckpoints,
      onNaN: configuration.onNaN, configurationText: configuration.tomlText())
    return try makeLoop(
      run: run, phase: phase, plan: plan, sinks: sinks, watching: watching, checkpoint: checkpoint,
      controls: controls)
  }
}
