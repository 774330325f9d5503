import Architecture
import Presentation
import RunEvents
import SyntheticRuns
import Testing

@testable import Dashboard

/// Where the charts put steps, edits and epochs: one definition, `EpochAxis`, in every panel.
@Suite struct StepPositionTests {
  /// Two finished epochs of four steps, an edit of mu before step 3.
  static var shortRun: SyntheticRun {
    var run = SyntheticRun()
    run.epochs = 2
    run.finishedEpochs = 2
    run.stepsPerEpoch = 4
    run.edits = [(3, ScheduleEdit(target: .mu, curve: .constant(0.5)))]
    return run
  }

  static func model(_ run: SyntheticRun, size: TerminalSize, options: RenderOptions = RenderOptions())
    -> DashboardModel
  {
    var model = DashboardModel(mode: .live, options: options, size: size)
    model.apply(run.events())
    return model
  }

  @Test func anEditSitsAtTheSameXInTheLossAndTheSchedules() throws {
    let size = TerminalSize(width: 120, height: 40)
    let model = Self.model(Self.shortRun, size: size)
    let expected = EpochAxis(stepsPerEpoch: 4).beforeStep(3)
    #expect(expected == 0.75)
    let loss = try #require(LossPanel.chart(model))
    let schedules = SchedulePanel.charts(model)
    #expect(loss.markers.map(\.x) == [expected])
    #expect(schedules.count == 3)
    for chart in schedules { #expect(chart.markers.map(\.x) == [expected]) }
    // The marker is where step 2, the last before the edit, ends, in the loss curve and the lr curves alike.
    let train = try #require(loss.series.first { $0.name == "train" })
    let mu = try #require(schedules.last?.series.last)
    #expect(train.xs[2] == expected && mu.xs[2] == expected)
    #expect(mu.ys[2] != mu.ys[3])
    // Drawn: the two panels are as wide and span the same epochs, so the markers share a column.
    #expect(loss.xScale() == schedules[0].xScale())
    let screen = DashboardRenderer.render(model, size: size)
    let layout = try #require(DashboardLayout.make(size: size))
    /// The columns (from the panel's left edge) where the marker's dotted line shows between the data.
    func markerColumns(_ panel: PanelID) -> Set<Int> {
      let rect = layout.panels[panel]!
      var columns = Set<Int>()
      for y in rect.y + 1..<rect.maxY - 1 {
        let row = Array(screen.line(y))
        for x in rect.x + 1..<rect.maxX - 1 where row[x] == "┊" { columns.insert(x - rect.x) }
      }
      return columns
    }
    #expect(layout.panels[.loss]!.width == layout.panels[.schedules]!.width)
    let lossColumns = markerColumns(.loss)
    #expect(lossColumns.count == 1)
    let lossColumn = try #require(lossColumns.first)
    #expect(markerColumns(.schedules) == [lossColumn])
    // 0.75 of 2 epochs: 3/8 of the plot from its left edge (the plot starts 8 columns into the panel).
    let plotWidth = layout.panels[.loss]!.width - 2 - 7
    #expect(lossColumn == 8 + Int((0.375 * Double(plotWidth - 1)).rounded()))
  }

  @Test func pausesAreShadedFromTheBoundaryWhereTheyBegan() throws {
    var run = Self.shortRun
    run.pauses = [5]
    let model = Self.model(run, size: TerminalSize(width: 120, height: 40))
    let loss = try #require(LossPanel.chart(model))
    #expect(loss.bands == [1.25...1.25])
  }

  @Test func plannedSchedulesHoldEachEpochsValueOverTheEpoch() throws {
    let model = Self.model(Self.shortRun, size: TerminalSize(width: 120, height: 40))
    let weight = try #require(SchedulePanel.charts(model).first)
    let planned = try #require(weight.series.first { !$0.inLegend })
    #expect(planned.xs == [0, 1, 1, 2])
    #expect(planned.ys[0] == planned.ys[1] && planned.ys[2] == planned.ys[3] && planned.ys[1] != planned.ys[2])
  }
}
