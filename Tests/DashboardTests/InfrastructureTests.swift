import Dashboard
import Foundation
import RunEvents
import Testing

@Suite struct ScreenBufferTests {
  @Test func putClipsAndDumps() {
    var buffer = ScreenBuffer(width: 6, height: 2)
    buffer.put("hello world", x: 2, y: 0, style: CellStyle(.accent, .bold))
    #expect(buffer.plainText == "  hell\n      \n")
    #expect(buffer.styleText == "00: 0-1 ./. 2-5 a/.+b\n01: 0-5 ./.\n")
    buffer.clipped(to: Rect(x: 0, y: 1, width: 2, height: 1)) { $0.put("xyz", x: 0, y: 1, style: .text) }
    #expect(buffer.line(1) == "xy    ")
  }

  @Test func diffsReproduceTheFrame() {
    var a = ScreenBuffer(width: 10, height: 3)
    a.put("abc", x: 0, y: 0, style: .text)
    var b = a
    b.put("X", x: 1, y: 0, style: .text)
    b.put("yz", x: 5, y: 2, style: .muted)
    let runs = b.changes(from: a)
    #expect(
      runs == [
        CellRun(x: 1, y: 0, scalars: ["X"], style: .text),
        CellRun(x: 5, y: 2, scalars: ["y", "z"], style: .muted),
      ])
    var replayed = a
    for run in runs { replayed.apply(run) }
    #expect(replayed == b)
    #expect(b.changes(from: nil).reduce(0) { $0 + $1.scalars.count } == 30)
  }
}

@Suite struct StepHistoryTests {
  @Test func downSamplingBoundsMemoryAndKeepsTheLatest() {
    var history = StepHistory(capacity: 64)
    let values = ScheduleValues(weightLearningRate: 0.025, mu: 1, architectureLearningRates: [:])
    for g in 0..<10_000 {
      history.append(
        StepReport(
          epoch: 0, step: g, globalStep: g, trainLoss: Double(g), validationLoss: 1, values: values, imagesPerSecond: 1)
      )
    }
    #expect(history.samples.count <= 64)
    #expect(history.samples.count >= 32)
    #expect(history.latest?.globalStep == 9_999)
    #expect(history.count == 10_000)
    // Averages of consecutive steps: the loss equals the mean global step of the bucket.
    for sample in history.points { #expect(abs(sample.trainLoss - sample.globalStep) < 1e-9) }
    #expect(history.points.last!.globalStep > 9_000)
  }
}

@Suite struct ThemeTests {
  static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("themes")

  @Test func repositoryThemesLoad() {
    let (themes, errors) = Theme.load(directory: Self.themesDirectory)
    #expect(errors.isEmpty, "\(errors)")
    #expect(themes.first?.name == "dark")
    #expect(Set(themes.map(\.name)).isSuperset(of: ["dark", "light", "high-contrast", "cividis", "ansi16"]))
    for theme in themes {
      #expect(Set(theme.palette.keys) == Set(ColorRole.allCases), "\(theme.name) lacks roles")
      #expect(theme.heatRamp.count == CellColor.heatLevels)
    }
    let ansi = themes.first { $0.name == "ansi16" }!
    for rgb in ansi.palette.values { #expect(ColorDepth.ansi16.contains(rgb), "\(rgb) is not an ANSI colour") }
  }

  @Test func parsingReportsTheLine() {
    #expect(throws: ThemeError(file: "x.toml", line: 2, message: "unknown key \"colour\"")) {
      try Theme.parse("name = \"x\"\ncolour = \"#000000\"", fileName: "x.toml")
    }
    #expect(throws: ThemeError(file: "x.toml", line: 1, message: "\"\"#12\"\" is not a #rrggbb colour")) {
      try Theme.parse("text = \"#12\"", fileName: "x.toml")
    }
    let theme = try! Theme.parse(
      "# comment\ntext = \"#ff0000\" # red\nheat = [\"#000000\", \"#ffffff\"]", fileName: "red.toml")
    #expect(theme.name == "red")
    #expect(theme.color(.text) == RGB(255, 0, 0))
    #expect(theme.color(.muted) == Theme.builtIn.color(.muted))
    #expect(theme.resolve(.heat(15)) == RGB(255, 255, 255))
  }

  @Test func missingDirectoryFallsBackToTheBuiltInTheme() {
    let (themes, errors) = Theme.load(directory: URL(fileURLWithPath: "/nonexistent/themes"))
    #expect(themes == [.builtIn])
    #expect(errors.isEmpty)
    #expect(Theme.load(directory: nil).themes == [.builtIn])
  }
}

@Suite struct ColorDepthTests {
  @Test func detection() {
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .indexed256)
    #expect(ColorDepth.detect(colors: 1 << 24, environment: [:]) == .trueColor)
    #expect(ColorDepth.detect(colors: 16, environment: [:]) == .indexed16)
    #expect(ColorDepth.detect(colors: 8, environment: [:]) == .indexed8)
    #expect(ColorDepth.detect(colors: 0, environment: [:]) == .monochrome)
  }

  @Test func quantization() {
    #expect(ColorDepth.trueColor.index(of: RGB(1, 2, 3)) == 0x010203)
    #expect(ColorDepth.indexed256.index(of: RGB(255, 0, 0)) == 9)  // exact ANSI colour
    #expect(ColorDepth.indexed256.index(of: RGB(0x5f, 0x87, 0xaf)) == 16 + 36 * 1 + 6 * 2 + 3)
    #expect(ColorDepth.indexed256.index(of: RGB(0x80, 0x80, 0x80)) == 244)
    #expect(ColorDepth.indexed16.index(of: RGB(250, 250, 250)) == 15)
    #expect(ColorDepth.indexed8.index(of: RGB(250, 10, 10)) == 1)
    #expect(ColorDepth.monochrome.index(of: RGB(0, 0, 0)) == nil)
  }
}

@Suite struct TooSmallTests {
  @Test func tooSmallTerminalSaysWhatIsNeeded() {
    var model = DashboardModel()
    model.apply(RecordedRun.events())
    let screen = DashboardRenderer.render(model, size: TerminalSize(width: 60, height: 15))
    #expect(screen.contains("terminal is 60x15; tailnas needs at least 80x24"))
    #expect(DashboardLayout.make(size: TerminalSize(width: 79, height: 40)) == nil)
    #expect(DashboardLayout.make(size: TerminalSize(width: 80, height: 24)) != nil)
  }

  @Test func layoutsAdaptToTheSize() {
    #expect(
      DashboardLayout.make(size: TerminalSize(width: 80, height: 24))!.visiblePanels == [.loss, .accuracy, .alphas])
    #expect(DashboardLayout.make(size: TerminalSize(width: 120, height: 40))!.visiblePanels == PanelID.allCases)
    #expect(DashboardLayout.make(size: TerminalSize(width: 200, height: 60))!.visiblePanels == PanelID.allCases)
    #expect(
      DashboardLayout.make(size: TerminalSize(width: 200, height: 60), zoomed: .genotype)!.visiblePanels == [.genotype])
  }
}

@Suite struct AsciiTests {
  @Test func asciiModeDrawsNoBrailleOrBoxCharacters() {
    for size in [TerminalSize(width: 80, height: 24), TerminalSize(width: 200, height: 60)] {
      var model = DashboardModel(options: RenderOptions(ascii: true, colorless: true), size: size)
      model.apply(RecordedRun.events())
      let text = DashboardRenderer.render(model, size: size).plainText
      #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "non-ASCII at \(size)")
    }
  }

  @Test func unicodeModeUsesBraille() {
    var model = DashboardModel(size: .minimum)
    model.apply(RecordedRun.events())
    let text = DashboardRenderer.render(model, size: .minimum).plainText
    #expect(text.unicodeScalars.contains { (0x2801...0x28ff).contains($0.value) })
  }
}
