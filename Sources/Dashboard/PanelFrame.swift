/// Draws the frame every panel shares: a box titled with the zoom number and the panel name.
enum PanelFrame {
  /// Whether `title` fits whole in the top border of a frame of `width` (with the zoom number, a space on
  /// each side and the corners).
  static func fits(_ title: String, panel: PanelID, width: Int) -> Bool {
    "\(panel.rawValue) \(title)".count + 4 <= width
  }

  /// The longest form of a title that fits whole: the first of `titles` (longest first) that fits, else the
  /// last one without its trailing `, ...` clauses as far as needed; the box cuts only what still does not fit.
  static func title(_ titles: [String], panel: PanelID, width: Int) -> String {
    if let title = titles.first(where: { fits($0, panel: panel, width: width) }) { return title }
    var title = titles.last ?? ""
    while !fits(title, panel: panel, width: width), let comma = title.range(of: ", ", options: .backwards) {
      title = String(title[..<comma.lowerBound])
    }
    return title
  }

  /// Draws the frame of `panel` in `rect` with the longest of `titles` that fits, and returns the inner
  /// rectangle.
  static func draw(
    _ panel: PanelID, in rect: Rect, titles: [String], focused: Bool, ascii: Bool, on buffer: inout ScreenBuffer
  ) -> Rect {
    let title = title(titles, panel: panel, width: rect.width)
    return draw(panel, in: rect, title: title, focused: focused, ascii: ascii, on: &buffer)
  }

  /// Draws the frame of `panel` in `rect` and returns the inner rectangle; a title too long for the frame
  /// loses its trailing `, ...` clauses first.
  static func draw(
    _ panel: PanelID, in rect: Rect, title: String, focused: Bool, ascii: Bool, on buffer: inout ScreenBuffer
  ) -> Rect {
    let borderStyle = focused ? CellStyle(.focus, .bold) : CellStyle(.border)
    let titleStyle = focused ? CellStyle(.focus, .bold) : CellStyle(.title, .bold)
    let shown = Self.title([title], panel: panel, width: rect.width)
    buffer.box(rect, title: "\(panel.rawValue) \(shown)", style: borderStyle, titleStyle: titleStyle, ascii: ascii)
    let inner = rect.insetBy(dx: 1, dy: 1)
    // Widgets draw inside the frame only; the renderer restores the clip after the panel.
    let x0 = max(inner.x, buffer.clip.x)
    let y0 = max(inner.y, buffer.clip.y)
    buffer.clip = Rect(
      x: x0, y: y0, width: min(inner.maxX, buffer.clip.maxX) - x0, height: min(inner.maxY, buffer.clip.maxY) - y0)
    return inner
  }
}
