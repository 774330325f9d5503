/// Where everything goes for one terminal size.
public struct DashboardLayout: Sendable, Equatable {
  public var status: Rect
  public var footer: Rect
  public var body: Rect
  /// The visible panels and their frames.
  public var panels: [PanelID: Rect]

  /// The panels in focus (Tab) order.
  public var visiblePanels: [PanelID] { PanelID.allCases.filter { panels[$0] != nil } }

  /// The layout for `size`, or nil when the terminal is smaller than `TerminalSize.minimum`. `cellGraphs` gives
  /// panel 3 the room of a training run's cell graphs (up to four cells of at least 52x10 each) instead of the
  /// heatmaps' strip.
  public static func make(size: TerminalSize, zoomed: PanelID? = nil, cellGraphs: Bool = false) -> DashboardLayout? {
    guard size.width >= TerminalSize.minimum.width, size.height >= TerminalSize.minimum.height else { return nil }
    let status = Rect(x: 0, y: 0, width: size.width, height: 1)
    let footer = Rect(x: 0, y: size.height - 1, width: size.width, height: 1)
    let body = Rect(x: 0, y: 1, width: size.width, height: size.height - 2)
    var panels: [PanelID: Rect] = [:]
    if let zoomed {
      panels[zoomed] = body
    } else if size.width >= 180 && size.height >= 50 {
      let strip = cellGraphs ? 22 : 12
      let (top, rest) = body.splitTop(body.height - strip - 16)
      let (alphas, bottom) = rest.splitTop(strip)
      let charts = top.columns(3)
      panels[.loss] = charts[0]
      panels[.accuracy] = charts[1]
      panels[.schedules] = charts[2]
      panels[.alphas] = alphas
      let (genotype, classes) = bottom.splitLeft(bottom.width * 3 / 5)
      panels[.genotype] = genotype
      panels[.classes] = classes
    } else if size.width >= 120 && size.height >= 36 {
      let (top, bottom) = body.splitTop(body.height - 22)
      let charts = top.columns(3)
      panels[.loss] = charts[0]
      panels[.accuracy] = charts[1]
      panels[.schedules] = charts[2]
      let (alphas, side) = bottom.splitLeft(cellGraphs ? bottom.width - 48 : min(70, bottom.width - 48))
      panels[.alphas] = alphas
      let halves = side.rows(2)
      panels[.genotype] = halves[0]
      panels[.classes] = halves[1]
    } else {
      let (left, alphas) = body.splitLeft(body.width - max(42, body.width * 9 / 20))
      let halves = left.rows(2)
      panels[.loss] = halves[0]
      panels[.accuracy] = halves[1]
      panels[.alphas] = alphas
    }
    return DashboardLayout(status: status, footer: footer, body: body, panels: panels)
  }
}
