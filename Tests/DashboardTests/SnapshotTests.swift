import Dashboard
import RunEvents
import Testing

@Suite struct SnapshotTests {
  static func model(size: TerminalSize, options: RenderOptions = RenderOptions()) -> DashboardModel {
    var model = DashboardModel(mode: .live, themeNames: ["dark", "light"], options: options, size: size)
    model.apply(RecordedRun.events())
    return model
  }

  @Test(arguments: [
    TerminalSize(width: 80, height: 24), TerminalSize(width: 120, height: 40), TerminalSize(width: 200, height: 60),
  ])
  func recordedRun(size: TerminalSize) {
    let buffer = DashboardRenderer.render(Self.model(size: size), size: size)
    assertSnapshot(buffer, named: "live-\(size)")
  }

  @Test func asciiColorless80x24() {
    let size = TerminalSize(width: 80, height: 24)
    let buffer = DashboardRenderer.render(
      Self.model(size: size, options: RenderOptions(ascii: true, colorless: true)), size: size)
    assertSnapshot(buffer, named: "ascii-colorless-80x24")
  }

  @Test func zoomedHeatmapsWithValues() {
    let size = TerminalSize(width: 120, height: 40)
    var model = Self.model(size: size)
    _ = model.update(.character("3"))
    _ = model.update(.character("v"))
    assertSnapshot(DashboardRenderer.render(model, size: size), named: "zoom-alphas-values-120x40")
  }

  @Test func zoomedWinnerHistory() {
    let size = TerminalSize(width: 80, height: 24)
    var model = Self.model(size: size)
    _ = model.update(.character("3"))
    _ = model.update(.character("w"))
    assertSnapshot(DashboardRenderer.render(model, size: size), named: "zoom-winners-80x24")
  }

  @Test func zoomedPanels80x24() {
    let size = TerminalSize(width: 80, height: 24)
    for panel in [PanelID.schedules, .genotype, .classes] {
      var model = Self.model(size: size)
      _ = model.update(.character(Character(String(panel.rawValue))))
      assertSnapshot(DashboardRenderer.render(model, size: size), named: "zoom-\(panel.title)-80x24")
    }
  }

  @Test func helpOverlay() {
    let size = TerminalSize(width: 80, height: 24)
    var model = Self.model(size: size)
    _ = model.update(.character("?"))
    assertSnapshot(DashboardRenderer.render(model, size: size), named: "help-80x24")
  }

  @Test func editFormWithError() {
    let size = TerminalSize(width: 120, height: 40)
    var model = Self.model(size: size)
    _ = model.update(.character("e"))  // target field, mu first
    _ = model.update(.tab)  // kind: linear (mu was edited to linear 1 -> 0.2)
    _ = model.update(.left)  // constant
    _ = model.update(.tab)  // value
    for _ in 0..<8 { _ = model.update(.backspace) }
    for c in "1.5" { _ = model.update(.character(c)) }
    assertSnapshot(DashboardRenderer.render(model, size: size), named: "edit-error-120x40")
  }

  @Test func quitPrompt() {
    let size = TerminalSize(width: 80, height: 24)
    var model = Self.model(size: size)
    _ = model.update(.character("q"))
    assertSnapshot(DashboardRenderer.render(model, size: size), named: "quit-80x24")
  }

  @Test func tooSmall() {
    let size = TerminalSize(width: 60, height: 15)
    assertSnapshot(DashboardRenderer.render(Self.model(size: size), size: size), named: "too-small-60x15")
  }
}
