import Architecture
import Presentation
import RunEvents
import SyntheticRuns
import Testing

@testable import Dashboard

/// Epoch axes in whole epochs from 0, and panel titles that fit without being cut.
@Suite struct AxisAndTitleTests {
  static func model(_ run: SyntheticRun, size: TerminalSize, options: RenderOptions = RenderOptions())
    -> DashboardModel
  {
    StepPositionTests.model(run, size: size, options: options)
  }

  @Test func oneEpochAccuracyCountsWholeEpochsFromZero() throws {
    var run = SyntheticRun()
    run.finishedEpochs = 1
    let size = TerminalSize(width: 120, height: 40)
    let model = Self.model(run, size: size)
    let chart = try #require(AccuracyPanel.chart(model))
    #expect(chart.xScale() == ChartScale(lower: 0, upper: 1))
    let screen = DashboardRenderer.render(model, size: size)
    let rect = try #require(DashboardLayout.make(size: size)?.panels[.accuracy])
    let labels = screen.line(rect.maxY - 2).dropFirst(rect.x + 1).prefix(rect.width - 2)
    #expect(labels.split(separator: " ") == ["0", "1"], "x labels: \(labels)")
    // Three epochs: 0 1 2 3.
    let three = DashboardRenderer.render(Self.model(SyntheticRun(), size: size), size: size)
    let more = three.line(rect.maxY - 2).dropFirst(rect.x + 1).prefix(rect.width - 2)
    #expect(more.split(separator: " ") == ["0", "1", "2", "3"], "x labels: \(more)")
  }

  static let sizes = [
    TerminalSize(width: 80, height: 24), TerminalSize(width: 120, height: 40), TerminalSize(width: 140, height: 45),
    TerminalSize(width: 200, height: 60),
  ]

  /// The top border of every panel: no title is cut.
  static func titlesAreWhole(_ model: DashboardModel, size: TerminalSize, ascii: Bool = false) throws {
    let screen = DashboardRenderer.render(model, size: size)
    let layout = try #require(
      DashboardLayout.make(size: size, zoomed: model.zoomed, cellGraphs: model.shown.isTraining))
    for (panel, rect) in layout.panels {
      let border = String(screen.line(rect.y).dropFirst(rect.x).prefix(rect.width))
      #expect(!border.contains(ascii ? "~" : "…"), "\(size) panel \(panel.rawValue): \(border)")
      #expect(border.contains(" \(panel.rawValue) "), "\(size) panel \(panel.rawValue) has no title: \(border)")
    }
  }

  @Test(arguments: sizes)
  func noPanelTitleIsCut(size: TerminalSize) throws {
    // A search with a best epoch, a 100-epoch search at its last epoch, and a search-then-train pipeline.
    var long = SyntheticRun()
    long.epochs = 100
    long.finishedEpochs = 100
    long.stepsPerEpoch = 2
    for run in [RecordedRun.run, long] {
      let model = Self.model(run, size: size)
      try Self.titlesAreWhole(model, size: size)
      try Self.titlesAreWhole(Self.model(run, size: size, options: RenderOptions(ascii: true)), size: size, ascii: true)
      // The best accuracy is kept in every shortened form but the last.
      let best = try #require(model.shown.epochs.max { $0.test.accuracy < $1.test.accuracy })
      #expect(DashboardRenderer.render(model, size: size).contains("best \(Format.percent(best.test.accuracy))"))
    }
    try Self.titlesAreWhole(try PipelineRun.model(size: size), size: size)
  }

  @Test func aTitleTooLongLosesItsTrailingClausesBeforeItIsCut() {
    #expect(PanelFrame.fits("cells (trained genotype)", panel: .alphas, width: 30))
    #expect(!PanelFrame.fits("cells (trained genotype)", panel: .alphas, width: 29))
    #expect(PanelFrame.title(["a long title, more", "short"], panel: .loss, width: 12) == "short")
    #expect(
      PanelFrame.title(["cells (trained genotype), +2 cells, zoom (3)"], panel: .alphas, width: 40)
        == "cells (trained genotype), +2 cells")
    #expect(PanelFrame.title(["cells, +2 cells"], panel: .alphas, width: 12) == "cells")
  }
}
