import Architecture
import Presentation
import RunEvents
import SyntheticRuns
import Testing

@testable import Dashboard

/// The heatmaps on weights as a real DARTS search has them (all near 1/8), and the loss curves without colour.
@Suite struct HeatmapScaleTests {
  static let size = TerminalSize(width: 120, height: 40)

  /// Three epochs of a four-component search whose softmaxed weights stay between about 0.11 and 0.15.
  static var dartsRun: SyntheticRun {
    var run = SyntheticRun()
    run.alphas = .darts
    return run
  }

  static func render(_ options: RenderOptions) -> (DashboardModel, ScreenBuffer) {
    var model = DashboardModel(mode: .live, options: options, size: size)
    model.apply(dartsRun.events())
    return (model, DashboardRenderer.render(model, size: size))
  }

  /// The screen cells of each map's weights: [component: [(edge, op, x, y)]], as the panel lays them out.
  static func cells(_ model: DashboardModel) -> [ArchitectureComponent: [(edge: Int, op: Int, x: Int, y: Int)]] {
    let rect = DashboardLayout.make(size: size)!.panels[.alphas]!
    let inner = rect.insetBy(dx: 1, dy: 1)
    let run = model.shown.started!
    let report = model.selectedReport!
    let components = run.components.filter { report.alphas[$0] != nil }
    let (columns, cellWidth) = HeatmapPanel.arrangement(count: components.count, edges: 14, in: inner)!
    let slotWidth = inner.width / columns
    var result: [ArchitectureComponent: [(edge: Int, op: Int, x: Int, y: Int)]] = [:]
    for (i, component) in components.enumerated() {
      let x0 = inner.x + (i % columns) * slotWidth + HeatmapPanel.labelWidth
      let y0 = inner.y + (i / columns) * HeatmapPanel.rowsPerMap + 1
      for edge in 0..<14 {
        for op in 0..<run.primitives.count {
          for k in 0..<cellWidth {
            result[component, default: []].append((edge, op, x0 + edge * cellWidth + k, y0 + op))
          }
        }
      }
    }
    return result
  }

  @Test func realisticWeightsAreNearUniform() {
    for component in ArchitectureComponent.allCases {
      let weights = Self.dartsRun.alphas(component, epoch: 2).joined()
      #expect(weights.allSatisfy { $0 > 0.10 && $0 < 0.16 }, "\(component): \(weights.min()!)...\(weights.max()!)")
    }
  }

  @Test func colourHeatmapsShowManyLevelsPerMapOnRealisticWeights() {
    let (model, screen) = Self.render(RenderOptions())
    assertSnapshot(screen, named: "darts-alphas-120x40")
    let report = model.selectedReport!
    for (component, cells) in Self.cells(model) {
      var levels = Set<Int>()
      for cell in cells {
        guard case .heat(let level) = screen[cell.x, cell.y].style.background else {
          Issue.record("\(component) edge \(cell.edge) op \(cell.op) has no heat background")
          continue
        }
        levels.insert(level)
      }
      // The whole ramp: the smallest weight at level 0, the largest at the top level, and most levels between.
      #expect(levels.contains(0) && levels.contains(CellColor.heatLevels - 1), "\(component): \(levels.sorted())")
      #expect(levels.count >= 10, "\(component) uses \(levels.count) of \(CellColor.heatLevels) levels")
      let scale = WeightScale(fitting: report.alphas[component]!.joined())!
      #expect(screen.contains(scale.label), "\(component): no range \(scale.label)")
    }
  }

  @Test func heatLevelFollowsTheMapsOwnRange() {
    let (model, screen) = Self.render(RenderOptions())
    let alphas = model.selectedReport!.alphas[.normal]!
    let scale = WeightScale(fitting: alphas.joined())!
    for cell in Self.cells(model)[.normal]! {
      let expected = CellColor.heat(scale.level(alphas[cell.edge][cell.op], of: CellColor.heatLevels))
      #expect(screen[cell.x, cell.y].style.background == expected, "edge \(cell.edge) op \(cell.op)")
    }
  }

  @Test(arguments: [false, true])
  func colourlessHeatmapsShowSeveralShadesPerMap(ascii: Bool) {
    let (model, screen) = Self.render(RenderOptions(ascii: ascii, colorless: true))
    assertSnapshot(screen, named: ascii ? "darts-alphas-ascii-colorless-120x40" : "darts-alphas-colorless-120x40")
    let shades = HeatmapPanel.shades(ascii: ascii)
    let alphas = model.selectedReport!.alphas
    for (component, cells) in Self.cells(model) {
      let scale = WeightScale(fitting: alphas[component]!.joined())!
      var seen = Set<Character>()
      for cell in cells {
        let character = screen[cell.x, cell.y].character
        guard character != "◆" && character != "@" else { continue }
        // The same scale as the colours: the shade of the weight's level.
        let weight = alphas[component]![cell.edge][cell.op]
        #expect(character == shades[scale.level(weight, of: shades.count)], "\(component) \(cell.edge) \(cell.op)")
        seen.insert(character)
      }
      #expect(seen.count == shades.count, "\(component): shades \(seen.sorted())")
    }
  }

  @Test func colourlessLossCurvesCarryTheirGlyphs() {
    let size = TerminalSize(width: 120, height: 40)
    var model = DashboardModel(mode: .live, options: RenderOptions(colorless: true), size: size)
    model.apply(RecordedRun.events())
    let screen = DashboardRenderer.render(model, size: size)
    let rect = DashboardLayout.make(size: size)!.panels[.loss]!
    #expect(screen.line(rect.y + 1).contains("i─inst c─class *─train +─val"))
    // The plot: right of the axis labels, below the legend, above the x labels.
    func count(_ glyph: Character, in screen: ScreenBuffer) -> Int {
      var n = 0
      for y in rect.y + 2..<rect.maxY - 2 {
        for x in rect.x + 8..<rect.maxX - 1 where screen[x, y].character == glyph { n += 1 }
      }
      return n
    }
    for glyph: Character in ["i", "c", "*", "+"] {
      #expect(count(glyph, in: screen) >= 3, "glyph \(glyph) appears \(count(glyph, in: screen)) times")
    }
    // With colour the lines are told apart by colour, and drawn in braille alone.
    var coloured = model
    coloured.options = RenderOptions()
    let colour = DashboardRenderer.render(coloured, size: size)
    for glyph: Character in ["i", "c", "*", "+"] { #expect(count(glyph, in: colour) == 0) }
  }
}
