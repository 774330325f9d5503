import Foundation
import Reports
import RunEvents
import RunFixtures
import RunStore
import Testing

/// `TensorBoardExport`: which scalars a run gives, at which steps, where the files go, and that the files read
/// back (framing, CRCs, fields) to the same events.
@Suite struct TensorBoardExportTests {
  typealias F = ReportFixtures
  typealias Reader = TensorBoardFileReader

  static func search(twoHead: Bool = false) -> TensorBoardExport {
    let events = F.completeRun(id: "s", method: twoHead ? "hls" : "darts", twoHead: twoHead, accuracies: [0.4, 0.5])
    return TensorBoardExport(history: RunHistory(events: events), runID: "s", startTime: 1_700_000_000)
  }

  static let epochTags =
    [
      "epoch", "loss/train", "loss/validation", "loss/test", "accuracy/train", "accuracy/validation", "accuracy/test",
      "accuracy/test_many", "accuracy/test_medium", "accuracy/test_few",
    ] + (0..<6).map { "accuracy_class/\($0)" } + ["time/epoch_seconds"]

  @Test func searchScalarsByStepAndEpoch() {
    let export = Self.search()
    let events = export.events()
    #expect(events.first == TensorBoardEvent(wallTime: 1_700_000_000, step: 0, content: .fileVersion("brain.Event:2")))
    // Two epochs of two steps: steps 1 and 2, epoch 1 at step 2, steps 3 and 4, epoch 2 at step 4.
    #expect(events.map(\.step) == [0, 1, 2, 2, 3, 4, 4])
    guard case .scalars(let step) = events[1].content, case .scalars(let epoch) = events[3].content else {
      Issue.record("no scalars")
      return
    }
    #expect(
      step.map(\.tag) == [
        "step/train_loss", "step/validation_loss", "step/images_per_second", "lr/weights", "lr/alphas_normal",
        "lr/alphas_reduce", "mu",
      ])
    let report = export.history.steps[0]
    #expect(
      step.map(\.value)
        == [
          report.trainLoss, report.validationLoss!, report.imagesPerSecond, report.values.weightLearningRate,
          report.values.architectureLearningRates[.normal]!, report.values.architectureLearningRates[.reduce]!,
          report.values.mu,
        ].map { Float($0) })
    #expect(epoch.map(\.tag) == Self.epochTags)
    let first = export.history.epochs[0]
    #expect(epoch[0].value == 1 && epoch[1].value == Float(first.train.loss))
    #expect(epoch[6].value == Float(first.test.accuracy) && epoch[7].value == Float(first.groupAccuracy["many"]!))
    #expect(epoch[10].value == Float(first.perClassAccuracy[0]) && epoch.last!.value == Float(first.seconds))
    #expect(export.subdirectory == "s/search")
  }

  @Test func twoHeadSearchHasTheLossPartsAndFourRates() {
    guard case .scalars(let step) = Self.search(twoHead: true).events()[1].content else {
      Issue.record("no scalars")
      return
    }
    let tags = step.map(\.tag)
    #expect(tags.contains("step/train_loss_instance") && tags.contains("step/train_loss_class"))
    #expect(tags.filter { $0.hasPrefix("lr/alphas_") }.count == 4)
  }

  @Test func trainingRunScalars() {
    let inside = TensorBoardExport(
      history: RunHistory(events: F.trainingRun(id: "s/train", source: "s", twoHead: false, accuracies: [0.5, 0.6])),
      runID: "s/train")
    #expect(inside.subdirectory == "s/train")
    let events = inside.events()
    #expect(events.map(\.step) == [0, 1, 2, 2, 3, 4, 4])
    guard case .scalars(let step) = events[1].content, case .scalars(let epoch) = events[3].content else {
      Issue.record("no scalars")
      return
    }
    #expect(
      step.map(\.tag) == [
        "step/train_loss", "step/auxiliary_loss", "step/images_per_second", "lr/weights", "mu", "drop_path",
      ])
    #expect(!epoch.map(\.tag).contains("loss/validation") && epoch.map(\.tag).contains("accuracy/test_few"))
    let alone = TensorBoardExport(
      history: RunHistory(events: F.trainingRun(id: "t", source: nil, twoHead: false, accuracies: [0.5])), runID: "t")
    #expect(alone.subdirectory == "t/train")
  }

  @Test func aResumedRunGivesEachStepOnce() {
    var events = F.completeRun(id: "r", method: "darts", twoHead: false, accuracies: [0.4, 0.5])
    // Interrupted in epoch 2 after one step, resumed from the checkpoint of epoch 1.
    let resumed = F.started(id: "r", method: "darts", twoHead: false, epochs: 2, startEpoch: 1)
    events.insert(contentsOf: [events[5], .started(resumed)], at: 5)
    let export = TensorBoardExport(history: RunHistory(events: events), runID: "r")
    #expect(export.events().map(\.step) == [0, 1, 2, 2, 3, 4, 4])
  }

  @Test func writesSearchAndTrainingsAndReadsBack() throws {
    let runs = try temporaryDirectory("tensorboard")
    let search = try F.write(
      F.completeRun(id: "s", method: "darts", twoHead: false, accuracies: [0.4, 0.5]), id: "s", in: runs)
    try F.write(F.trainingRun(id: "s/train", source: "s", twoHead: false, accuracies: [0.6]), id: "s/train", in: runs)
    try F.write([], id: "s/train-2", in: runs)
    let root = runs.appendingPathComponent("tb")
    let written = try TensorBoardExport.write(run: search, to: root)
    let host = TensorBoardExport.hostName
    let log = try search.events()
    let trainingLog = try RunDirectory.open(runs.appendingPathComponent("s/train").path, runsDirectory: runs).events()
    #expect(
      written.files.map(\.path)
        == [
          "s/search/events.out.tfevents.\(Int(log.times[0])).\(host).tailnas",
          "s/train/events.out.tfevents.\(Int(trainingLog.times[0])).\(host).tailnas",
        ].map { root.appendingPathComponent($0).path })
    #expect(written.warnings == ["s/train-2 has recorded nothing yet; it is left out of the TensorBoard export"])

    let bytes = [UInt8](try Data(contentsOf: written.files[0]))
    let read = try Reader.events(bytes)
    let expected = TensorBoardExport(log: log, runID: "s").events()
    #expect(read.count == expected.count)
    for (got, want) in zip(read, expected) {
      #expect(got.step == want.step && got.wallTime == want.wallTime)
      switch want.content {
      case .fileVersion(let version): #expect(got.fileVersion == version)
      case .scalars(let scalars):
        #expect(got.scalars.map(\.tag) == scalars.map(\.tag) && got.scalars.map(\.value) == scalars.map(\.value))
      }
    }
    // The wall times are the event log's: the first step's is its line's time.
    #expect(read[1].wallTime == log.times[1])

    // Exporting again replaces the file and removes older tailnas exports; a foreign event file beside them is
    // named in a warning and kept.
    let directory = written.files[0].deletingLastPathComponent()
    let foreign = directory.appendingPathComponent("events.out.tfevents.1.other")
    let older = directory.appendingPathComponent("events.out.tfevents.1.\(host).tailnas")
    try Data().write(to: foreign)
    try Data().write(to: older)
    let again = try TensorBoardExport.write(run: search, trainings: false, to: root)
    #expect(again.files == [written.files[0]])
    #expect(again.warnings.count == 1 && again.warnings[0].hasPrefix(foreign.path))
    #expect(TensorBoardExport.eventFiles(in: directory) == [foreign, written.files[0]])
    #expect([UInt8](try Data(contentsOf: written.files[0])) == bytes)
  }

  @Test func aNameReplacesTheIDInTheDirectories() throws {
    let runs = try temporaryDirectory("tensorboard")
    let search = try F.write(
      F.completeRun(id: "s", method: "hls", twoHead: true, accuracies: [0.4]), id: "s", in: runs)
    let training = try F.write(
      F.trainingRun(id: "s/train", source: "s", twoHead: true, accuracies: [0.6]), id: "s/train", in: runs)
    let root = runs.appendingPathComponent("tb")
    let written = try TensorBoardExport.write(run: search, named: "hls/seed-0", to: root)
    #expect(
      written.files.map { $0.deletingLastPathComponent().path }
        == ["search", "train"].map {
          root.appendingPathComponent("hls/seed-0/\($0)").path
        })
    let alone = try TensorBoardExport.write(run: training, named: "again", to: root)
    #expect(
      alone.files.map { $0.deletingLastPathComponent().path } == [root.appendingPathComponent("again/train").path])
    for bad in ["", "/abs", "a/../b", "a//b", "./a"] {
      #expect(throws: RunExportError.invalidRunName(bad)) {
        try TensorBoardExport.write(run: search, named: bad, to: root)
      }
    }
  }

  @Test func aRunWithNothingRecordedIsAnError() throws {
    let runs = try temporaryDirectory("tensorboard")
    let started = F.started(id: "n", method: "darts", twoHead: false, epochs: 2)
    let run = try F.write([.started(started)], id: "n", in: runs)
    #expect(throws: RunExportError.nothingRecorded(run: "n")) {
      try TensorBoardExport.write(run: run, to: runs.appendingPathComponent("tb"))
    }
    #expect(!FileManager.default.fileExists(atPath: runs.appendingPathComponent("tb").path))
  }

  @Test func aFileInTheWayIsAClearError() throws {
    let runs = try temporaryDirectory("tensorboard")
    let run = try F.write(
      F.completeRun(id: "s", method: "darts", twoHead: false, accuracies: [0.4]), id: "s", in: runs)
    let blocker = runs.appendingPathComponent("tb")
    try Data("x".utf8).write(to: blocker)
    do {
      _ = try TensorBoardExport.write(run: run, to: blocker)
      Issue.record("wrote under a file")
    } catch let error as RunStoreError {
      #expect("\(error)".contains("is a file, not a directory"), "\(error)")
    }
  }
}
