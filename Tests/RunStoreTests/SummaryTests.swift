import Foundation
import RunEvents
import RunFixtures
import RunStore
import Testing

@Suite struct SummaryTests {
  typealias F = ReportFixtures

  @Test func aCompletedRunIsFinished() throws {
    let runs = try temporaryDirectory()
    let events = F.completeRun(id: "a-darts", method: "darts", twoHead: false, accuracies: [0.4, 0.6, 0.5])
    let summary = try RunSummary(directory: F.write(events, id: "a-darts", in: runs))
    #expect(summary.status == .finished)
    #expect(summary.epochsDone == 3)
    #expect(summary.plannedEpochs == 3)
    #expect(summary.bestEpoch?.epoch == 1)
    #expect(summary.steps.count == 6)
    #expect(summary.components == [.normal, .reduce])
  }

  @Test func aFailedEventMeansFailed() {
    var events = F.completeRun(id: "f", method: "hls", twoHead: true, accuracies: [0.4])
    events.removeLast()
    events.append(.failed(RunFailed(reason: "cannot write the run's events: No space left on device")))
    #expect(RunSummary(id: "f", events: events, isLive: true).status == .failed)
  }

  @Test func aStoppedRunIsStoppedAndAKilledOneInterrupted() {
    var stopped = F.completeRun(id: "s", method: "hls", twoHead: true, accuracies: [0.4, 0.5])
    stopped[stopped.count - 1] = .finished(RunFinished(epochs: 2, bestTestAccuracy: 0.5, bestEpoch: 1, stopped: true))
    #expect(RunSummary(id: "s", events: stopped).status == .stopped)
    var killed = F.completeRun(id: "k", method: "hls", twoHead: true, accuracies: [0.4, 0.5])
    killed.removeLast()
    #expect(RunSummary(id: "k", events: killed, isLive: false).status == .interrupted)
  }

  @Test func aRunOwnedByALiveProcessWithoutAnEndIsRunning() throws {
    let runs = try temporaryDirectory()
    var events = F.completeRun(id: "live-hls", method: "hls", twoHead: true, accuracies: [0.4])
    events.removeLast()
    let directory = try F.write(events, id: "live-hls", in: runs)
    #expect(try RunSummary(directory: directory).status == .interrupted)
    try directory.claimOwnership()  // this test process is alive
    defer { directory.releaseOwnership() }
    #expect(try RunSummary(directory: directory).status == .running)
  }

  @Test func aResumedRunReplacesRepeatedEpochsAndEndsByItsLastSegment() {
    var events = F.completeRun(id: "r", method: "hls", twoHead: true, accuracies: [0.4, 0.5, 0.9])
    events.removeLast()
    events.append(.failed(RunFailed(reason: "disk full")))
    // Resumed from the checkpoint of epoch 2: epoch 3 (index 2) runs again.
    events.append(.started(F.started(id: "r", method: "hls", twoHead: true, epochs: 3, startEpoch: 2)))
    events += F.steps(epoch: 2, count: 2, twoHead: true, epochs: 3)
    events.append(.epoch(F.epoch(2, accuracy: 0.45, twoHead: true, epochs: 3)))
    events.append(.finished(RunFinished(epochs: 3, bestTestAccuracy: 0.5, bestEpoch: 1, stopped: false)))
    let summary = RunSummary(id: "r", events: events)
    #expect(summary.status == .finished)
    #expect(summary.epochs.map(\.epoch) == [0, 1, 2])
    #expect(summary.epochs[2].test.accuracy == 0.45)
    #expect(summary.bestEpoch?.epoch == 1)
    #expect(summary.steps.map(\.globalStep) == [0, 1, 2, 3, 4, 5])
  }

  @Test func aRunWithoutEpochsHasNoBest() {
    let events: [RunEvent] = [.started(F.started(id: "n", method: "darts", twoHead: false, epochs: 5))]
    let summary = RunSummary(id: "n", events: events)
    #expect(summary.epochsDone == 0)
    #expect(summary.bestEpoch == nil)
    #expect(summary.status == .interrupted)
  }

  @Test func theListingSortsRunsSkipsForeignEntriesAndNamesUnreadableRuns() throws {
    let runs = try temporaryDirectory()
    try F.write(
      F.completeRun(id: "b-hls", method: "hls", twoHead: true, accuracies: [0.3, 0.61]), id: "b-hls", in: runs)
    try F.write(
      F.completeRun(id: "a-darts", method: "darts", twoHead: false, accuracies: [0.5]), id: "a-darts", in: runs)
    try FileManager.default.createDirectory(
      at: runs.appendingPathComponent("notes"), withIntermediateDirectories: true)
    try "hello".write(to: runs.appendingPathComponent("README"), atomically: true, encoding: .utf8)
    let newer = runs.appendingPathComponent("c-newer")
    try FileManager.default.createDirectory(at: newer, withIntermediateDirectories: true)
    try "".write(to: newer.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    let line = try EventEnvelope(event: .failed(RunFailed(reason: "x")), schema: eventSchemaVersion + 1).jsonLine()
    try (String(decoding: line, as: UTF8.self) + "\n").write(
      to: newer.appendingPathComponent("events.jsonl"), atomically: true, encoding: .utf8)

    let listing = RunListing(directory: runs)
    #expect(listing.exists)
    #expect(listing.runs.map(\.id) == ["a-darts", "b-hls"])
    #expect(listing.problems.count == 1)
    #expect(listing.problems[0].hasPrefix("skipped c-newer:"))
    #expect(listing.problems[0].contains("newer than this tailnas"))
  }

  @Test func aMissingRunsDirectoryIsReportedAsSuch() {
    let listing = RunListing(directory: URL(fileURLWithPath: "/nonexistent/tailnas-runs"))
    #expect(!listing.exists)
    #expect(listing.runs.isEmpty)
    #expect(listing.problems.isEmpty)
  }
}
