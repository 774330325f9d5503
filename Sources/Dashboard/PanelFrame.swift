/// Draws the frame every panel shares: a box titled with the zoom number and the panel name.
enum PanelFrame {
  /// Draws the frame of `panel` in `rect` and returns the inner rectangle.
  static func draw(
    _ panel: PanelID, in rect: Rect, title: String, focused: Bool, ascii: Bool, on buffer: inout ScreenBuffer
  ) -> Rect {
    let borderStyle = focused ? CellStyle(.focus, .bold) : CellStyle(.border)
    let titleStyle = focused ? CellStyle(.focus, .bold) : CellStyle(.title, .bold)
    buffer.box(rect, title: "\(panel.rawValue) \(title)", style: borderStyle, titleStyle: titleStyle, ascii: ascii)
    let inner = rect.insetBy(dx: 1, dy: 1)
    // Widgets draw inside the frame only; the renderer restores the clip after the panel.
    let x0 = max(inner.x, buffer.clip.x)
    let y0 = max(inner.y, buffer.clip.y)
    buffer.clip = Rect(
      x: x0, y: y0, width: min(inner.maxX, buffer.clip.maxX) - x0, height: min(inner.maxY, buffer.clip.maxY) - y0)
    return inner
  }
}
