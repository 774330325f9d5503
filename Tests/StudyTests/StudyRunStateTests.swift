import Foundation
import RunEvents
import RunStore
import Study
import SyntheticRuns
import Testing

/// A study run's state is read from its search directory: a search the user stopped (it wrote its end) and one
/// that was killed (no end) are both resumable, and each is named as `tailnas runs` names it.
@Suite struct StudyRunStateTests {
  /// The state of a study's one run whose search directory holds `synthetic`'s events (removed afterwards).
  static func state(writing synthetic: SyntheticRun) throws -> StudyRunState {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let text = "preset = \"tiny\"\n[data]\ndataset = \"synthetic\"\n[grid]\nseed = [0]\n[study]\ntrain = false\n"
    let run = try Study(text: text, source: folder.appendingPathComponent("s.toml").path).runs()[0]
    let directory = try RunDirectory.create(at: run.directory, configuration: "")
    let writer = try EventLogWriter(path: directory.eventsPath)
    for event in synthetic.events() { try writer.emit(event) }
    return run.state(trains: false)
  }

  static func search(ends: Bool) -> SyntheticRun {
    var synthetic = SyntheticRun()
    synthetic.epochs = 4
    synthetic.finishedEpochs = 2
    synthetic.ends = ends
    return synthetic
  }

  @Test func aStoppedSearchIsStoppedAndResumable() throws {
    let state = try Self.state(writing: Self.search(ends: true))
    #expect(state == .searchUnfinished(epochs: 2, of: 4, stopped: true))
    #expect(state.word == "stopped")
    #expect(state.needsWork)
  }

  @Test func aKilledSearchIsInterruptedAndResumable() throws {
    let state = try Self.state(writing: Self.search(ends: false))
    #expect(state == .searchUnfinished(epochs: 2, of: 4, stopped: false))
    #expect(state.word == "interrupted")
    #expect(state.needsWork)
  }

  @Test func aFinishedSearchWithoutTrainingIsFinished() throws {
    var synthetic = Self.search(ends: true)
    synthetic.finishedEpochs = 4
    let state = try Self.state(writing: synthetic)
    #expect(state == .finished)
    #expect(!state.needsWork)
  }
}
