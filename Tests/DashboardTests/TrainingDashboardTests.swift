import Dashboard
import Foundation
import RunEvents
import Testing

/// A real pipeline's events: `tailnas search --train` (a tiny HLS search of 2 epochs x 3 steps, then a bbn
/// training of its genotype for 3 epochs x 4 steps), the search's events.jsonl followed by its RUN/train's, as
/// the dashboard receives them live and as `tailnas replay` reads them.
enum PipelineRun {
  static func events() throws -> [RunEvent] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/pipeline-run.events.jsonl")
    let text = try String(contentsOf: url, encoding: .utf8)
    return try text.split(separator: "\n").map { try EventEnvelope.decode(line: Data($0.utf8)).event }
  }

  static func model(size: TerminalSize) throws -> DashboardModel {
    var model = DashboardModel(mode: .live, themeNames: ["dark", "light"], size: size)
    model.apply(try events())
    return model
  }
}

@Suite struct TrainingDashboardTests {
  @Test func thePipelineGoesOnFromTheSearchIntoTraining() throws {
    let model = try PipelineRun.model(size: TerminalSize(width: 140, height: 45))
    #expect(model.earlierPhases.count == 1)
    #expect(model.shown.isTraining)
    #expect(model.message?.contains("ended; now training (P shows each phase)") == true)
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("│ train │"))
    #expect(screen.contains("M params"))
    #expect(screen.contains("cells (trained genotype)"))
    #expect(screen.contains("c_{k-2}") && screen.contains("c_{k}"), "the cells are drawn as graphs")
    #expect(screen.contains("backbone normal cell"))
    #expect(!screen.contains("alphas @"))
  }

  @Test func pShowsTheSearchAndComesBackToTheLiveTraining() throws {
    var model = try PipelineRun.model(size: TerminalSize(width: 140, height: 45))
    _ = model.update(.character("P"))
    #expect(!model.shown.isTraining)
    #expect(DashboardRenderer.render(model, size: model.size).contains("alphas @ epoch 2/2"))
    _ = model.update(.character("P"))
    #expect(model.shown.isTraining)
    #expect(model.message?.hasSuffix("(live)") == true)
  }

  @Test func aSearchAloneHasOnePhase() {
    var model = DashboardModel(mode: .live, size: TerminalSize(width: 120, height: 40))
    model.apply(RecordedRun.events())
    _ = model.update(.character("P"))
    #expect(model.message == "this session has one phase")
  }

  @Test(arguments: [TerminalSize(width: 80, height: 24), TerminalSize(width: 140, height: 45)])
  func trainingDashboard(size: TerminalSize) throws {
    assertSnapshot(DashboardRenderer.render(try PipelineRun.model(size: size), size: size), named: "training-\(size)")
  }

  @Test func zoomedCellsDrawEveryCellAsAGraph() throws {
    let size = TerminalSize(width: 140, height: 45)
    var model = try PipelineRun.model(size: size)
    _ = model.update(.character("3"))
    let screen = DashboardRenderer.render(model, size: size)
    for name in ["backbone normal cell", "backbone reduction cell", "instance head", "class head"] {
      #expect(screen.contains(name), "\(name)")
    }
    #expect(!screen.contains("zoom (3)"))
    assertSnapshot(screen, named: "training-zoom-cells-140x45")
  }

  /// At 140 x 45 the whole title fits; at 80 x 24 the genotype's name gives way, so the count and the key
  /// that shows the rest stay on screen.
  @Test(arguments: [
    (TerminalSize(width: 140, height: 45), "cells (trained genotype), +2 cells, zoom (3)"),
    (TerminalSize(width: 80, height: 24), "cells, +"),
  ])
  func theCellsPanelSaysHowManyCellsZoomingShows(size: TerminalSize, title: String) throws {
    let model = try PipelineRun.model(size: size)
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains(title))
    #expect(screen.contains("zoom (3)"))
  }
}
