import Foundation
import RunEvents

/// Where a saved run stands.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
  /// A live process owns the run and it has not ended.
  case running
  /// The run completed its last epoch.
  case finished
  /// The run ended with an error (e.g. a full disk).
  case failed
  /// Stopped by the user, killed or crashed: `tailnas resume` continues it.
  case interrupted
}

/// A run folded from its events: what it is, its epochs (a resumed run's repeated epochs replaced), its
/// steps, the schedule edits applied, how it ended, and its status.
public struct RunSummary: Sendable {
  /// The run id (its directory name).
  public var id: String
  /// The latest `started` event (a resumed run starts again); nil if the log has none.
  public private(set) var started: RunStarted?
  /// The schedules as planned when the run first started, before any edit.
  public private(set) var plannedSchedules: Schedules?
  /// Epoch reports in epoch order, one per epoch.
  public private(set) var epochs: [EpochReport] = []
  /// Step reports in order, one per global step.
  public private(set) var steps: [StepReport] = []
  /// Control commands as applied (pauses, resumes, stops, schedule edits), in order.
  public private(set) var controls: [ControlApplied] = []
  /// The end of the latest segment of the run, if it finished or was stopped.
  public private(set) var finished: RunFinished?
  /// The reason the latest segment of the run failed, if it did.
  public private(set) var failure: String?
  /// Running, finished, failed or interrupted.
  public private(set) var status: RunStatus = .interrupted
  /// Problems met while reading (e.g. a torn last line).
  public var warnings: [String] = []

  /// Folds `events` in order; `isLive` says whether a live process owns the run.
  public init(id: String, events: [RunEvent], isLive: Bool = false) {
    self.id = id
    for event in events { apply(event) }
    if failure != nil {
      status = .failed
    } else if let finished {
      status = finished.stopped ? .interrupted : .finished
    } else {
      status = isLive ? .running : .interrupted
    }
  }

  /// Reads and folds the events of `directory`; errors of the event log (a newer schema, a corrupt line)
  /// propagate.
  public init(directory: RunDirectory) throws {
    let log = try directory.events()
    self.init(id: directory.id, events: log.events, isLive: directory.isOwnedByLiveProcess)
    warnings = log.warnings
  }

  private mutating func apply(_ event: RunEvent) {
    switch event {
    case .started(let run):
      if plannedSchedules == nil { plannedSchedules = run.schedules }
      started = run
      finished = nil
      failure = nil
      epochs.removeAll { $0.epoch >= run.startEpoch }
      steps.removeAll { $0.epoch >= run.startEpoch }
    case .step(let report):
      if let last = steps.last, last.globalStep >= report.globalStep {
        steps.removeAll { $0.globalStep >= report.globalStep }
      }
      steps.append(report)
    case .epoch(let report):
      epochs.removeAll { $0.epoch == report.epoch }
      let index = epochs.firstIndex { $0.epoch > report.epoch } ?? epochs.endIndex
      epochs.insert(report, at: index)
    case .control(let applied):
      controls.append(applied)
    case .checkpoint:
      break
    case .finished(let end):
      finished = end
    case .failed(let failed):
      failure = failed.reason
    }
  }

  /// The method, e.g. `hls`; `?` before the run started.
  public var method: String { started?.method ?? "?" }
  /// The data set name; `?` before the run started.
  public var dataset: String { started?.dataset ?? "?" }
  /// The imbalance ratio rho of the training set.
  public var imbalanceRatio: Double? { started?.imbalanceRatio }
  /// The number of epochs planned.
  public var plannedEpochs: Int? { started?.epochs }
  /// The number of epochs with a report.
  public var epochsDone: Int { epochs.count }
  /// The latest epoch's report.
  public var finalEpoch: EpochReport? { epochs.last }

  /// The epoch with the best overall test accuracy (the earliest on a tie).
  public var bestEpoch: EpochReport? {
    var best: EpochReport?
    for report in epochs where report.test.accuracy.isFinite {
      if best == nil || report.test.accuracy > best!.test.accuracy { best = report }
    }
    return best
  }

  /// The schedule edits applied, in order.
  public var edits: [(applied: ControlApplied, edit: ScheduleEdit)] {
    controls.compactMap { applied in
      if case .edit(let edit) = applied.command { return (applied, edit) }
      return nil
    }
  }

  /// The searched components, in order (the four of a two-head run, `normal` and `reduce` otherwise).
  public var components: [ArchitectureComponent] {
    if let components = started?.components, !components.isEmpty { return components }
    let present = Set(epochs.flatMap { $0.alphas.keys })
    return ArchitectureComponent.allCases.filter(present.contains)
  }
}

/// The runs found under a runs directory.
public struct RunListing: Sendable {
  /// The runs directory listed.
  public var directory: URL
  /// Whether the directory exists.
  public var exists: Bool
  /// Readable runs, sorted by id.
  public var runs: [RunSummary]
  /// One short line per run that could not be read, sorted by id.
  public var problems: [String]

  /// Lists `directory`: entries that are not runs (no `config.toml` or `events.jsonl`) are skipped silently;
  /// runs whose events cannot be read are named in `problems`.
  public init(directory: URL) {
    self.directory = directory
    var isDirectory: ObjCBool = false
    exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    runs = []
    problems = []
    guard exists else { return }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    for name in names where !name.hasPrefix(".") {
      let run: RunDirectory
      do {
        run = try RunDirectory.open(directory.appendingPathComponent(name).path, runsDirectory: directory)
      } catch {
        continue
      }
      do {
        runs.append(try RunSummary(directory: run))
      } catch {
        problems.append("skipped \(name): \(error)")
      }
    }
  }

  /// The listing as an aligned text table: id, method, data set, imbalance ratio, status, epochs done and
  /// the best test accuracy.
  public var table: String {
    let header = ["id", "method", "dataset", "ratio", "status", "epochs", "best acc"]
    let rows = runs.map { run -> [String] in
      [
        run.id, run.method, run.dataset, run.imbalanceRatio.map(ReportNumber.ratio) ?? "-", run.status.rawValue,
        "\(run.epochsDone)/\(run.plannedEpochs.map(String.init) ?? "?")",
        run.bestEpoch.map { ReportNumber.percent($0.test.accuracy) } ?? "-",
      ]
    }
    return TextTable(header: header, rows: rows, rightAligned: [3, 5, 6]).text
  }
}
