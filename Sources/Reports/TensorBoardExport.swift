import Foundation
import Presentation
import RunEvents
import RunStore

/// A run's scalars as a TensorBoard event file (`TensorBoardEvent` records in `TFRecord` framing), which
/// TensorBoard's scalars dashboard shows and W&B imports (`wandb sync --sync-tensorboard`).
///
/// Every scalar's step is a global step counted from 1, as the CSV export counts: a step's report sits at its
/// own global step, an epoch's at the global step that ended it, `(epoch + 1) x stepsPerEpoch`. One x axis for
/// every chart, so a step series and its epoch means line up, and steps only grow (W&B wants that); the
/// `epoch` scalar (from 1) at each epoch's end maps steps to epochs. Wall times are the event log's, so
/// TensorBoard's relative and wall-time axes show the run's real pace.
///
/// Tags, per step: `step/train_loss`, `step/validation_loss` (search), `step/auxiliary_loss` (training with
/// the auxiliary head), `step/train_loss_instance` and `step/train_loss_class` (two heads),
/// `step/images_per_second`, and the schedules in force: `lr/weights`, `lr/alphas_<component>` (search: normal,
/// reduce, instance, class), `mu`, `drop_path` (training). Per epoch: `epoch`, `loss/train`,
/// `loss/validation` (search), `loss/test`, `accuracy/train`, `accuracy/validation` (search), `accuracy/test`,
/// `accuracy/test_many`, `accuracy/test_medium`, `accuracy/test_few`, `accuracy_class/<class name>` and
/// `time/epoch_seconds`. Losses are mean cross-entropies, accuracies fractions in 0...1, as in `events.jsonl`;
/// a value the run did not record is left out, and values are 32-bit floats as TensorBoard stores them.
public struct TensorBoardExport: Sendable {
  /// The run as its events tell it.
  public var history: RunHistory
  /// The run's id: `<search id>` for a search, `<search id>/<train name>` for a training run inside its search.
  public var runID: String
  /// When each global step's report was written (seconds since 1970), from the event log.
  public var stepTimes: [Int: Double]
  /// When each epoch's report was written (seconds since 1970), from the event log.
  public var epochTimes: [Int: Double]
  /// When the run first started; the wall time of anything without a time of its own, and in the file name.
  public var startTime: Double

  /// The export of `history`; without times every record takes `startTime` (default: now) as its wall time.
  public init(
    history: RunHistory, runID: String, stepTimes: [Int: Double] = [:], epochTimes: [Int: Double] = [:],
    startTime: Double? = nil
  ) {
    self.history = history
    self.runID = runID
    self.stepTimes = stepTimes
    self.epochTimes = epochTimes
    self.startTime = startTime ?? stepTimes.values.min() ?? Date().timeIntervalSince1970
  }

  /// The export of a run's event log, with the log's times. A resumed run writes the steps and epochs after
  /// its checkpoint again; the latest time of each is kept, as `RunHistory` keeps the latest report.
  public init(log: EventLog, runID: String) {
    var stepTimes: [Int: Double] = [:]
    var epochTimes: [Int: Double] = [:]
    for (event, time) in zip(log.events, log.times) {
      switch event {
      case .step(let report): stepTimes[report.globalStep] = time
      case .epoch(let report): epochTimes[report.epoch] = time
      default: break
      }
    }
    self.init(
      history: RunHistory(events: log.events), runID: runID, stepTimes: stepTimes, epochTimes: epochTimes,
      startTime: log.times.first)
  }

  /// Whether the run trains a found architecture rather than searching one.
  public var isTraining: Bool { history.started?.isTraining ?? false }

  /// Where the run's event file goes under the export directory, one TensorBoard run per tailnas run: a
  /// search as `<id>/search`, a training run inside its search run as `<search id>/<train name>` (its id, e.g.
  /// `20240101-120000-hls/train`), a training run of its own as `<id>/train`. So a pipeline's search and
  /// training sit side by side under its id, and TensorBoard's run filter selects either across runs.
  public var subdirectory: String {
    if isTraining { return runID.contains("/") ? runID : "\(runID)/train" }
    return "\(runID)/search"
  }

  /// Whether the run has recorded a step or an epoch.
  public var hasScalars: Bool { !history.steps.isEmpty || !history.epochs.isEmpty }

  // MARK: Scalars

  /// The TensorBoard step of a step report: its global step counted from 1.
  public func step(of report: StepReport) -> Int64 { Int64(report.globalStep) + 1 }

  /// The TensorBoard step of an epoch's report: the global step (from 1) of the step that ended it.
  public func step(ofEpoch epoch: Int) -> Int64 {
    if let perEpoch = history.started?.stepsPerEpoch, perEpoch > 0 { return Int64((epoch + 1) * perEpoch) }
    if let last = history.steps.last(where: { $0.epoch == epoch }) { return step(of: last) }
    return Int64(epoch + 1)
  }

  /// The scalars of one step: its losses, speed and schedules.
  public func scalars(of report: StepReport) -> [TensorBoardEvent.Scalar] {
    var values: [(String, Double?)] = [
      ("step/train_loss", report.trainLoss), ("step/validation_loss", report.validationLoss),
      ("step/auxiliary_loss", report.auxiliaryLoss), ("step/train_loss_instance", report.trainLossInstance),
      ("step/train_loss_class", report.trainLossClass), ("step/images_per_second", report.imagesPerSecond),
      ("lr/weights", report.values.weightLearningRate),
    ]
    for component in isTraining ? [] : history.components {
      values.append(("lr/\(component.parameterName)", report.values.architectureLearningRates[component]))
    }
    values += [("mu", report.values.mu), ("drop_path", report.values.dropPath)]
    return Self.scalars(values)
  }

  /// The scalars of one epoch: its number (from 1), losses and accuracies per split, the shot groups' and
  /// each class's test accuracy, and its duration.
  public func scalars(of report: EpochReport) -> [TensorBoardEvent.Scalar] {
    var values: [(String, Double?)] = [("epoch", Double(report.epoch + 1))]
    let splits: [(String, SplitMetrics?)] = [
      ("train", report.train), ("validation", report.validation), ("test", report.test),
    ]
    values += splits.map { ("loss/\($0.0)", $0.1?.loss) }
    values += splits.map { ("accuracy/\($0.0)", $0.1?.accuracy) }
    values += ComparisonReport.groups.map { ("accuracy/test_\($0)", report.groupAccuracy[$0]) }
    let names = history.started?.classNames ?? []
    for (index, accuracy) in report.perClassAccuracy.enumerated() {
      values.append(("accuracy_class/\(index < names.count ? names[index] : String(index))", accuracy))
    }
    values.append(("time/epoch_seconds", report.seconds))
    return Self.scalars(values)
  }

  private static func scalars(_ values: [(String, Double?)]) -> [TensorBoardEvent.Scalar] {
    values.compactMap { tag, value in value.map { TensorBoardEvent.Scalar(tag: tag, value: Float($0)) } }
  }

  /// The file's events in step order: the version record, then one event per step report, each epoch's event
  /// right after the step that ended it.
  public func events() -> [TensorBoardEvent] {
    var events = [TensorBoardEvent(wallTime: startTime, step: 0, content: .fileVersion(TensorBoardEvent.fileVersion))]
    var epochs = history.epochs[...]
    func flushEpochs(through step: Int64) {
      while let epoch = epochs.first, self.step(ofEpoch: epoch.epoch) <= step {
        events.append(
          TensorBoardEvent(
            wallTime: epochTimes[epoch.epoch] ?? startTime, step: self.step(ofEpoch: epoch.epoch),
            content: .scalars(scalars(of: epoch))))
        epochs.removeFirst()
      }
    }
    for report in history.steps {
      flushEpochs(through: step(of: report) - 1)
      events.append(
        TensorBoardEvent(
          wallTime: stepTimes[report.globalStep] ?? startTime, step: step(of: report),
          content: .scalars(scalars(of: report))))
    }
    flushEpochs(through: .max)
    return events
  }

  /// The whole event file: the events, each a TFRecord.
  public func fileBytes() -> [UInt8] {
    TFRecord.file(events().map(\.encoded))
  }

  /// The suffix that marks an event file as a tailnas export (TensorBoard and W&B read any file whose name
  /// contains `tfevents`), so that exporting a run again replaces its earlier exports and nothing else.
  public static let fileSuffix = ".tailnas"

  /// The event file's name, as TensorFlow names them, with the tailnas suffix:
  /// `events.out.tfevents.<seconds>.<host>.tailnas`, the seconds those of the run's start.
  public func fileName(host: String = Self.hostName) -> String {
    "events.out.tfevents.\(Int64(startTime.rounded(.down))).\(host)\(Self.fileSuffix)"
  }
}
