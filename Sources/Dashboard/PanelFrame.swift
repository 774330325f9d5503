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

/// The one-letter codes and colours of the DARTS primitives, for heatmap labels and the winner grid.
public enum OperationCode {
  /// A short label of at most 4 characters, e.g. `sep3` for `sep_conv_3x3`.
  public static func label(_ primitive: String) -> String {
    switch primitive {
    case "none": "none"
    case "max_pool_3x3": "max3"
    case "avg_pool_3x3": "avg3"
    case "skip_connect": "skip"
    case "sep_conv_3x3": "sep3"
    case "sep_conv_5x5": "sep5"
    case "dil_conv_3x3": "dil3"
    case "dil_conv_5x5": "dil5"
    default: String(primitive.prefix(4))
    }
  }

  /// One letter: `-` none, `m` max_pool_3x3, `a` avg_pool_3x3, `k` skip_connect, `s`/`S` sep_conv 3x3/5x5,
  /// `d`/`D` dil_conv 3x3/5x5.
  public static func letter(_ primitive: String) -> Character {
    switch primitive {
    case "none": "-"
    case "max_pool_3x3": "m"
    case "avg_pool_3x3": "a"
    case "skip_connect": "k"
    case "sep_conv_3x3": "s"
    case "sep_conv_5x5": "S"
    case "dil_conv_3x3": "d"
    case "dil_conv_5x5": "D"
    default: primitive.first ?? "?"
    }
  }

  /// A colour per primitive for the winner grid.
  public static func style(_ primitive: String) -> CellStyle {
    switch primitive {
    case "none": CellStyle(.muted)
    case "max_pool_3x3", "avg_pool_3x3": CellStyle(.medium)
    case "skip_connect": CellStyle(.warning, .bold)
    case "sep_conv_3x3", "sep_conv_5x5": CellStyle(.train)
    case "dil_conv_3x3", "dil_conv_5x5": CellStyle(.instance)
    default: CellStyle(.text)
    }
  }

  /// The DARTS edge names of a cell with `edges` edges: `0>2`, `1>2`, `0>3`, ... (input > node).
  public static func edgeNames(count edges: Int) -> [String] {
    var names: [String] = []
    var node = 2
    while names.count < edges {
      for input in 0..<node where names.count < edges { names.append("\(input)>\(node)") }
      node += 1
    }
    return names
  }
}
