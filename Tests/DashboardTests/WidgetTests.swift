import Architecture
import Dashboard
import Foundation
import Presentation
import RunEvents
import Testing

@Suite struct LineChartTests {
  func render(_ chart: LineChart, width: Int = 20, height: Int = 6) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: width, height: height)
    chart.draw(in: buffer.bounds, on: &buffer)
    return buffer
  }

  @Test func brailleDotsFollowTheLine() {
    var chart = LineChart()
    chart.series = [ChartSeries(name: "a", xs: [0, 1], ys: [0, 1], style: CellStyle(.train))]
    chart.yRange = 0...1
    let buffer = render(chart)
    // The plot is 13 x 4 cells right of the 6-wide labels and the axis; (0, 0) is the bottom-left dot.
    func bits(_ x: Int, _ y: Int) -> UInt32 { buffer[x, y].scalar.value - 0x2800 }
    #expect(bits(7, 4) & 0x40 != 0)  // dot 7: the bottom-left dot of the first cell
    #expect(bits(19, 1) & 0x08 != 0)  // dot 4: the top-right dot of the last cell
    #expect(buffer[7, 1].character == " ")  // the top-left cell stays empty
    #expect(buffer[7, 4].style.foreground == .role(.train))
    #expect(buffer.line(0).hasPrefix("─a"))
  }

  @Test func asciiModeUsesTheSeriesGlyph() {
    var chart = LineChart()
    chart.ascii = true
    chart.series = [
      ChartSeries(name: "val", xs: [0, 1, 2], ys: [1, 2, 3], style: CellStyle(.validation), asciiGlyph: "+")
    ]
    let buffer = render(chart)
    let plain = buffer.plainText
    #expect(plain.contains("+val"))
    #expect(plain.unicodeScalars.allSatisfy { $0.isASCII })
    #expect(plain.filter { $0 == "+" }.count > 3)
  }

  @Test func logScaleDropsNonPositiveValues() {
    var chart = LineChart()
    chart.logarithmic = true
    chart.series = [ChartSeries(name: "l", xs: [0, 1, 2], ys: [0, 0.1, 10], style: .text)]
    #expect(chart.yScale()!.isLogarithmic)
    #expect(chart.yScale()!.lower > 0)
  }

  @Test func bandsAndMarkersAreDrawn() {
    var chart = LineChart()
    chart.series = [ChartSeries(name: "a", xs: [0, 10], ys: [1, 1], style: .text)]
    chart.bands = [5...5]
    chart.markers = [(x: 8, label: "E")]
    let buffer = render(chart, width: 30, height: 8)
    #expect(buffer.line(1).contains("P"))
    #expect(buffer.line(1).contains("E"))
    #expect(buffer.line(3).contains("░"))
    #expect(buffer.line(3).contains("┊"))
  }
}

@Suite struct HeatmapTests {
  static func model(values: Bool = false, colorless: Bool = false, ascii: Bool = false) -> (
    DashboardModel, ScreenBuffer
  ) {
    let size = TerminalSize(width: 120, height: 40)
    var model = DashboardModel(options: RenderOptions(ascii: ascii, colorless: colorless), size: size)
    model.apply(RecordedRun.events())
    _ = model.update(.character("3"))
    if values { _ = model.update(.character("v")) }
    return (model, DashboardRenderer.render(model, size: size))
  }

  @Test func argmaxIsMarkedOncePerEdge() {
    let alphas = [[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]]
    #expect(HeatmapPanelProbe.argmax(alphas) == [1, 0])
    let (model, screen) = Self.model()
    let report = model.selectedReport!
    let winners = HeatmapPanelProbe.argmax(report.alphas[.normal]!)
    // Rows 3...10 are the ops of the first heatmap (zoomed panel, title row 2); columns step by the cell width.
    var marked = 0
    for row in 3...10 {
      let line = Array(screen.line(row))
      marked += line.prefix(60).filter { $0 == "◆" }.count
    }
    #expect(marked == 14)
    let sepConv3Row = Array(screen.line(3 + 4))
    #expect(sepConv3Row.prefix(60).contains("◆") == winners.contains(4))
  }

  @Test func heatColourFollowsTheWeight() {
    let (model, screen) = Self.model()
    let alphas = model.selectedReport!.alphas[.normal]!
    let scale = WeightScale(fitting: alphas.joined())!
    // Edge 0, op none: row 3; first weight cell at column 1 + 5.
    let cell = screen[1 + 5, 3]
    #expect(cell.style.background == .heat(scale.level(alphas[0][0], of: CellColor.heatLevels)))
    #expect(screen.line(2).contains(scale.label))
  }

  @Test func valuesOnDemand() {
    let (model, screen) = Self.model(values: true)
    let w = model.selectedReport!.alphas[.normal]![0][0]
    #expect(screen.line(3).contains(String(Format.weight(w).suffix(2))))
    #expect(screen.contains("values in hundredths"))
  }

  @Test func colorlessHeatmapsUseShades() {
    let (_, screen) = Self.model(colorless: true)
    #expect(screen.plainText.contains("░") || screen.plainText.contains("▒"))
    let (_, ascii) = Self.model(colorless: true, ascii: true)
    #expect(ascii.plainText.unicodeScalars.allSatisfy { $0.isASCII })
    #expect(ascii.plainText.contains("@"))
  }

  @Test func winnerHistoryShowsOpLetters() {
    var model = DashboardModel(size: TerminalSize(width: 120, height: 40))
    model.apply(RecordedRun.events())
    _ = model.update(.character("3"))
    _ = model.update(.character("w"))
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("winning ops @ epoch 3/10"))
    #expect(screen.contains("ep1"))
    #expect(screen.contains("ep3"))
    #expect(screen.contains(Primitive.letterLegend))
  }
}

/// Reaches the heatmap helper through the public surface the tests need.
enum HeatmapPanelProbe {
  static func argmax(_ alphas: [[Double]]) -> [Int] {
    alphas.map { row in row.indices.max { row[$0] < row[$1] }! }
  }
}

@Suite struct GenotypeWarningTests {
  let primitives = Primitive.allCases

  @Test func skipConnectTakingOverIsFlagged() {
    let skips = CellGenotype(
      edges: (0..<8).map { GenotypeEdge(op: $0 < 4 ? .skip_connect : .sep_conv_3x3, input: $0 % 2) },
      concat: [2, 3, 4, 5])
    #expect(
      GenotypeWarnings.check(genotype: skips, alphas: nil, primitives: primitives) == [
        "skip_connect takes over: 4 of 8 kept edges"
      ])
    let healthy = CellGenotype(
      edges: (0..<8).map { GenotypeEdge(op: $0 < 3 ? .skip_connect : .sep_conv_3x3, input: 0) }, concat: [2, 3, 4, 5])
    #expect(GenotypeWarnings.check(genotype: healthy, alphas: nil, primitives: primitives).isEmpty)
  }

  @Test func noneWinningManyEdgesIsFlagged() {
    var alphas = Array(repeating: [0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], count: 7)
    alphas += Array(repeating: [0.1, 0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.1], count: 7)
    #expect(
      GenotypeWarnings.check(genotype: nil, alphas: alphas, primitives: primitives) == [
        "none is the argmax of 7 of 14 edges"
      ])
    alphas[0] = [0.1, 0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.1]
    #expect(GenotypeWarnings.check(genotype: nil, alphas: alphas, primitives: primitives).isEmpty)
  }

  @Test func genotypePanelShowsPythonListsAndWarnings() {
    let size = TerminalSize(width: 200, height: 60)
    var model = DashboardModel(size: size)
    model.apply(RecordedRun.events())
    let screen = DashboardRenderer.render(model, size: size)
    #expect(screen.contains("alphas_normal (backbone normal cell)"))
    #expect(screen.contains("[('sep_conv_5x5', 0), ('sep_conv_3x3', 1)"))
    #expect(screen.contains("! skip_connect takes over: 6 of 8 kept edges"))
    #expect(screen.contains("! none is the argmax of 9 of 14 edges"))
  }
}

@Suite struct StatusLineTests {
  @Test func etaUsesRecentEpochDurations() {
    var data = RunData()
    for event in RecordedRun.events() { data.apply(event) }
    // 30 of 100 steps done; epochs took 42, 43, 44 s for 10 steps: 4.3 s a step.
    #expect(abs(StatusLine.eta(data)! - 70 * 4.3) < 1e-9)
    data.apply(.finished(RunFinished(epochs: 3, bestTestAccuracy: 0.4, bestEpoch: 2, stopped: true)))
    #expect(StatusLine.eta(data) == nil)
  }

  @Test func etaBeforeTheFirstEpochUsesThroughput() {
    var data = RunData()
    let events = RecordedRun.events()
    for event in events.prefix(6) { data.apply(event) }
    let latest = data.history.latest!
    #expect(abs(StatusLine.eta(data)! - Double(100 - 5) * 64 / latest.imagesPerSecond) < 1e-9)
  }

  @Test func statusLineShowsRunEpochAndThroughput() {
    var model = DashboardModel(size: TerminalSize(width: 120, height: 40))
    model.apply(RecordedRun.events())
    let line = DashboardRenderer.render(model, size: model.size).line(0)
    for text in ["tailnas", "hls-20250101-0412", "hls", "cifar10-lt", "epoch 3/10", "step 10/10", "ETA 5m01s", "img/s"]
    {
      #expect(line.contains(text), "status lacks \(text)")
    }
    model.apply(.failed(RunFailed(reason: "out of memory")))
    #expect(DashboardRenderer.render(model, size: model.size).line(0).contains("FAILED: out of memory"))
  }

  @Test func pausedBadgeSurvivesNarrowTerminals() {
    var model = DashboardModel(size: .minimum)
    model.apply(RecordedRun.events())
    model.apply(.control(ControlApplied(command: .pause, epoch: 2, globalStep: 29)))
    let line = DashboardRenderer.render(model, size: .minimum).line(0)
    #expect(line.hasSuffix(" PAUSED "))
    #expect(line.contains("epoch 3/10"))
  }
}

@Suite struct ClassPanelTests {
  @Test func countsBesideAccuracyWithShotGroups() {
    let size = TerminalSize(width: 200, height: 60)
    var model = DashboardModel(size: size)
    model.apply(RecordedRun.events())
    let screen = DashboardRenderer.render(model, size: size)
    #expect(screen.contains("classes: train count | test acc @ epoch 3"))
    #expect(screen.contains("many 71.0%  medium 46.0%  few 19.0%  overall 44.0%"))
    let airplane = (0..<60).map(screen.line).first { $0.contains("airplane") }!
    let truck = (0..<60).map(screen.line).first { $0.contains("truck ") }!
    #expect(airplane.contains("5000") && airplane.contains("81.0%") && airplane.contains("many"))
    #expect(truck.contains("50") && truck.contains("18.0%") && truck.contains("few"))
    #expect(airplane.filter { $0 == "█" }.count > truck.filter { $0 == "█" }.count)
    _ = model.update(.home)
    let first = DashboardRenderer.render(model, size: size)
    #expect(first.contains("classes: train count | test acc @ epoch 1"))
  }
}
