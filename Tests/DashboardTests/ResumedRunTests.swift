import Dashboard
import Foundation
import RunEvents
import Testing

/// A real run's events: a tiny HLS search (3 epochs of 5 steps) killed with kill -9 after two steps of its
/// second epoch and resumed with `tailnas resume` from the checkpoint of epoch 1, so steps 5-7 are in the log
/// twice, before and after the second `started` event.
enum ResumedRun {
  static var url: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/resumed-run.events.jsonl")
  }

  static func events() throws -> [RunEvent] {
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.split(separator: "\n").map { try EventEnvelope.decode(line: Data($0.utf8)).event }
  }
}

@Suite struct ResumedRunTests {
  @Test func theFixtureReallyRepeatsSteps() throws {
    let steps = try ResumedRun.events().compactMap { if case .step(let s) = $0 { s.globalStep } else { nil } }
    #expect(steps.count == 18)
    #expect(Set(steps).count == 15)
  }

  @Test(arguments: [DashboardMode.live, .replay])
  func aResumedRunDrawsEachStepOnceAndInOrder(mode: DashboardMode) throws {
    var model = DashboardModel(mode: mode, size: TerminalSize(width: 120, height: 40))
    model.apply(try ResumedRun.events())
    let steps = model.data.history.points.map(\.globalStep)
    #expect(steps == (0..<15).map(Double.init), "the loss line runs forward in step, each step once")
    #expect(model.data.steps.map(\.globalStep) == Array(0..<15))
    #expect(model.data.epochs.map(\.epoch) == [0, 1, 2])
    #expect(model.data.segments == 2)
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("epoch 3/3"))
  }

  @Test func aDownSampledHistoryIsRebuiltWhenAResumeDropsSteps() throws {
    // A capacity of 4 merges samples while the interrupted steps arrive; the resume must not leave their
    // averages behind.
    var model = DashboardModel(mode: .replay, size: TerminalSize(width: 120, height: 40), historyCapacity: 4)
    model.apply(try ResumedRun.events())
    let xs = model.data.history.points.map(\.globalStep)
    #expect(zip(xs, xs.dropFirst()).allSatisfy { $0 < $1 }, "\(xs)")
    #expect(model.data.history.count == 15)
  }
}
