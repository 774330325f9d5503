import Architecture
import Foundation
import Presentation
import Reports
import RunEvents
import RunFixtures
import RunStore
import SyntheticRuns
import Testing

/// What the SVG figures of `tailnas export --svg` show, read back from the files.
@Suite struct SVGFigureContentTests {
  /// Writes the figures of `run` and reads them back by file name.
  static func figures(_ run: SyntheticRun, edit: (inout [RunEvent]) -> Void = { _ in }) throws -> [String: SVGContent] {
    var events = run.events()
    edit(&events)
    let directory = try temporaryDirectory()
    let files = try RunExport(run: RunSummary(id: run.runID, events: events)).writeFigures(to: directory)
    var figures: [String: SVGContent] = [:]
    for file in files { figures[file.lastPathComponent] = try SVGContent(contentsOf: file) }
    return figures
  }

  /// A realistic search: four components, three epochs, weights near 1/8, an edit of mu before step 22.
  static var search: SyntheticRun {
    var run = SyntheticRun()
    run.alphas = .darts
    run.edits = [(22, ScheduleEdit(target: .mu, curve: .constant(0.5)))]
    return run
  }

  @Test func eachEpochsHeatmapHasACellPerEdgeAndOp() throws {
    let figures = try Self.figures(Self.search)
    for component in ArchitectureComponent.allCases {
      let svg = try #require(figures["alphas-\(component.rawValue).svg"])
      let maps = svg.elements("g").filter { $0["class"] == "heatmap" }
      #expect(maps.map { $0["id"] } == ["alphas-epoch-1", "alphas-epoch-2", "alphas-epoch-3"])
      for map in maps {
        let cells = map.children.filter { $0["class"] == "cell" }
        #expect(cells.count == 14 * 8, "\(component) \(map["id"] ?? ""): \(cells.count) cells")
        // Every cell says what it is; the kept ops are outlined on top.
        #expect(cells.allSatisfy { $0.tooltip?.contains("edge") == true })
        #expect(map.children.count - cells.count == 8, "\(component): outlines for the 8 kept edges")
      }
    }
  }

  @Test func heatmapColoursSpanTheWeightsShown() throws {
    // Known weights for the normal cell: all 1/8 but a low and a high one in epoch 1 and one at 3/4 of
    // the range in epoch 3.
    func known(_ epoch: Int) -> [[Double]] {
      var alphas = Array(repeating: Array(repeating: 0.125, count: 8), count: 14)
      if epoch == 0 {
        alphas[0][0] = 0.10
        alphas[0][1] = 0.15
      }
      if epoch == 2 { alphas[1][2] = 0.1375 }
      return alphas
    }
    let figures = try Self.figures(Self.search) { events in
      events = events.map { event in
        guard case .epoch(var report) = event else { return event }
        report.alphas[.normal] = known(report.epoch)
        return .epoch(report)
      }
    }
    let svg = try #require(figures["alphas-normal.svg"])
    let maps = svg.elements("g").filter { $0["class"] == "heatmap" }
    func fill(_ map: Int, edge: Int, op: Int) -> String? {
      maps[map].children.filter { $0["class"] == "cell" }[edge * 8 + op]["fill"]
    }
    // Viridis from .10 (its darkest) to .15 (its brightest): 1/8 half-way, .1375 at three quarters.
    #expect(fill(0, edge: 0, op: 0) == "#440154")
    #expect(fill(0, edge: 0, op: 1) == "#fde725")
    #expect(fill(0, edge: 5, op: 5) == "#26828e")
    #expect(fill(2, edge: 1, op: 2) == "#35b779")
    #expect(fill(2, edge: 1, op: 3) == "#26828e")
    #expect(fill(0, edge: 0, op: 0) == SVGHeatmap.color(0))
    // The legend gives the range and where uniform weights sit.
    #expect(svg.texts.contains("weight .10-.15"))
    #expect(svg.texts.contains(".10") && svg.texts.contains(".15"))
    #expect(svg.texts.contains("uniform 1/8"))
  }

  @Test func realisticWeightsUseTheWholeRamp() throws {
    let svg = try #require(try Self.figures(Self.search)["alphas-reduce.svg"])
    let fills = Set(svg.elements("rect").filter { $0["class"] == "cell" }.compactMap { $0["fill"] })
    #expect(fills.contains(SVGHeatmap.color(0)) && fills.contains(SVGHeatmap.color(1)))
    #expect(fills.count > 100, "\(fills.count) colours for 336 cells")
  }

  @Test func seriesFollowTheMethod() throws {
    let twoHeads = try Self.figures(Self.search)
    var plain = SyntheticRun()
    plain.method = "darts"
    plain.twoHead = false
    let oneHead = try Self.figures(plain)
    let lossTwo = try #require(twoHeads["loss.svg"]).texts
    let lossOne = try #require(oneHead["loss.svg"]).texts
    for label in ["train", "validation", "test", "train, instance branch", "train, class branch"] {
      #expect(lossTwo.contains(label), "two heads lack \(label)")
    }
    #expect(!lossTwo.contains("auxiliary head"))
    #expect(lossOne.contains("validation") && !lossOne.contains("train, instance branch"))
    let schedulesTwo = try #require(twoHeads["schedules.svg"]).texts
    let schedulesOne = try #require(oneHead["schedules.svg"]).texts
    #expect(schedulesTwo.contains("instance, executed") && schedulesTwo.contains("class, executed"))
    #expect(schedulesOne.contains("backbone, executed") && !schedulesOne.contains("instance, executed"))
    #expect(oneHead.keys.sorted().filter { $0.hasPrefix("alphas-") } == ["alphas-normal.svg", "alphas-reduce.svg"])
    let accuracy = try #require(twoHeads["accuracy.svg"]).texts
    for label in ["many-shot", "medium-shot", "few-shot", "overall"] { #expect(accuracy.contains(label)) }
  }

  @Test func epochAxesHaveWholeEpochTicks() throws {
    var one = SyntheticRun()
    one.epochs = 1
    one.finishedEpochs = 1
    let figures = try Self.figures(one)
    #expect(try #require(figures["accuracy.svg"]).xTickLabels == ["0", "1", "0", "1"])
    #expect(try #require(figures["schedules.svg"]).xTickLabels == ["0", "1", "0", "1", "0", "1"])
    // The loss per step keeps fractions of an epoch; the loss per epoch counts whole ones.
    #expect(try #require(figures["loss.svg"]).xTickLabels == ["0", "0.2", "0.4", "0.6", "0.8", "1", "0", "1"])
    var three = SyntheticRun()
    three.epochs = 3
    let accuracy = try #require(try Self.figures(three)["accuracy.svg"])
    #expect(accuracy.xTickLabels == ["0", "1", "2", "3", "0", "1", "2", "3"])
    let yTicks = accuracy.elements("text").filter { $0["text-anchor"] == "end" }.map(\.text)
    #expect(yTicks.prefix(6) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
  }

  @Test func anEditIsMarkedWhereTheExecutedValueChangesAndTheLossOfTheStepBeforeEnds() throws {
    let figures = try Self.figures(Self.search)
    // 10 planned epochs across the plot from x 62 to 710: the boundary before step 22 is at 2.2 epochs.
    func px(_ epochs: Double) -> Double { 62 + epochs / 10 * 648 }
    let schedules = try #require(figures["schedules.svg"])
    let markers = schedules.elements("line").filter { $0["stroke-dasharray"] == "4 3" }
    #expect(markers.count == 1)
    let markerX = try #require(markers.first?["x1"].flatMap(Double.init))
    #expect(abs(markerX - px(2.2)) < 0.01)
    let mu = try #require(
      schedules.elements("polyline").first { $0["stroke"] == "#d62728" && $0["stroke-width"] == "2.2" })
    let points = SVGContent.points(mu)
    let steps = zip(points, points.dropFirst()).filter { $0.0.x == $0.1.x && $0.0.y != $0.1.y }.map(\.0.x)
    #expect(steps.contains { abs($0 - markerX) < 0.01 }, "mu steps at \(steps), the edit at \(markerX)")
    // The loss per step: step g is drawn at its end, so step 21, the last before the edit, ends on the marker.
    let loss = try #require(figures["loss.svg"])
    let train = try #require(loss.elements("polyline").first)
    let trainPoints = SVGContent.points(train)
    #expect(abs(trainPoints[0].x - px(0.1)) < 0.01)
    #expect(abs(trainPoints[21].x - markerX) < 0.01)
  }
}
