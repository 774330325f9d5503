/// One terminal cell: a one-column glyph and its style.
///
/// The glyph is stored as one Unicode scalar (every glyph the dashboard draws is one: ASCII, box drawing,
/// braille, block shades), which keeps cells trivially copyable and the per-frame diff cheap; a grapheme of
/// several scalars keeps its first.
public struct Cell: Sendable, Equatable, Hashable {
  public var scalar: Unicode.Scalar
  public var style: CellStyle

  public init(_ character: Character = " ", style: CellStyle = .plain) {
    self.scalar = character.unicodeScalars.first ?? " "
    self.style = style
  }

  public init(scalar: Unicode.Scalar, style: CellStyle) {
    self.scalar = scalar
    self.style = style
  }

  /// The glyph as a `Character`.
  public var character: Character {
    get { Character(scalar) }
    set { scalar = newValue.unicodeScalars.first ?? " " }
  }

  /// A blank cell.
  public static let blank = Cell()
}

/// A width x height grid of cells that the render functions draw into and the terminal blits.
///
/// Drawing clips to the buffer and to an optional clip rectangle, so widgets never write outside their panel.
public struct ScreenBuffer: Sendable, Equatable {
  public let width: Int
  public let height: Int
  /// Row-major cells.
  public private(set) var cells: [Cell]
  /// Drawing outside this rectangle is ignored.
  public var clip: Rect

  /// A blank buffer.
  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(width, 0)
    self.height = max(height, 0)
    self.cells = Array(repeating: fill, count: self.width * self.height)
    self.clip = Rect(x: 0, y: 0, width: self.width, height: self.height)
  }

  /// The whole buffer as a rectangle.
  public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

  /// The size as a `TerminalSize`.
  public var size: TerminalSize { TerminalSize(width: width, height: height) }

  @inline(__always)
  func isVisible(_ x: Int, _ y: Int) -> Bool {
    x >= clip.x && x < clip.maxX && y >= clip.y && y < clip.maxY && x >= 0 && y >= 0 && x < width && y < height
  }

  /// The cell at column `x`, row `y` (a blank cell outside the buffer).
  public subscript(x: Int, y: Int) -> Cell {
    get {
      guard x >= 0, y >= 0, x < width, y < height else { return .blank }
      return cells[y * width + x]
    }
    set {
      guard isVisible(x, y) else { return }
      cells[y * width + x] = newValue
    }
  }

  /// Sets one cell's character and style.
  public mutating func set(_ x: Int, _ y: Int, _ character: Character, _ style: CellStyle) {
    guard isVisible(x, y) else { return }
    cells[y * width + x] = Cell(character, style: style)
  }

  /// Sets one cell from a Unicode scalar (the fast path for generated glyphs such as braille).
  public mutating func set(_ x: Int, _ y: Int, scalar: Unicode.Scalar, _ style: CellStyle) {
    guard isVisible(x, y) else { return }
    cells[y * width + x] = Cell(scalar: scalar, style: style)
  }

  /// Changes only the style of a cell.
  public mutating func setStyle(_ x: Int, _ y: Int, _ style: CellStyle) {
    guard isVisible(x, y) else { return }
    cells[y * width + x].style = style
  }

  /// Changes only the background of a cell.
  public mutating func setBackground(_ x: Int, _ y: Int, _ background: CellColor) {
    guard isVisible(x, y) else { return }
    cells[y * width + x].style.background = background
  }

  /// Writes `text` from column `x` on row `y`, at most `maxWidth` characters; returns the column after it.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle, maxWidth: Int = Int.max) -> Int {
    var column = x
    var written = 0
    for scalar in text.unicodeScalars {
      if written >= maxWidth { break }
      set(column, y, scalar: scalar, style)
      column += 1
      written += 1
    }
    return column
  }

  /// Writes `text` so that it ends at column `right - 1`.
  @discardableResult
  public mutating func putRight(_ text: String, right: Int, y: Int, style: CellStyle) -> Int {
    put(text, x: right - text.count, y: y, style: style)
  }

  /// Fills `rect` with `character` in `style`.
  public mutating func fill(_ rect: Rect, _ character: Character = " ", style: CellStyle = .plain) {
    let cell = Cell(character, style: style)
    let x0 = max(rect.x, clip.x, 0)
    let x1 = min(rect.maxX, clip.maxX, width)
    let y0 = max(rect.y, clip.y, 0)
    let y1 = min(rect.maxY, clip.maxY, height)
    guard x0 < x1, y0 < y1 else { return }
    for y in y0..<y1 {
      let base = y * width
      for x in x0..<x1 { cells[base + x] = cell }
    }
  }

  /// Draws a frame around `rect` with an optional title in the top border.
  public mutating func box(_ rect: Rect, title: String = "", style: CellStyle, titleStyle: CellStyle, ascii: Bool) {
    guard rect.width >= 2, rect.height >= 2 else { return }
    let glyphs: [Character] = ascii ? ["+", "+", "+", "+", "-", "|"] : ["┌", "┐", "└", "┘", "─", "│"]
    for x in rect.x + 1..<rect.maxX - 1 {
      set(x, rect.y, glyphs[4], style)
      set(x, rect.maxY - 1, glyphs[4], style)
    }
    for y in rect.y + 1..<rect.maxY - 1 {
      set(rect.x, y, glyphs[5], style)
      set(rect.maxX - 1, y, glyphs[5], style)
    }
    set(rect.x, rect.y, glyphs[0], style)
    set(rect.maxX - 1, rect.y, glyphs[1], style)
    set(rect.x, rect.maxY - 1, glyphs[2], style)
    set(rect.maxX - 1, rect.maxY - 1, glyphs[3], style)
    if !title.isEmpty, rect.width > 4 {
      let text = title.count + 2 > rect.width - 2 ? String(title.prefix(rect.width - 5)) + (ascii ? "~" : "…") : title
      put(" " + text + " ", x: rect.x + 1, y: rect.y, style: titleStyle, maxWidth: rect.width - 2)
    }
  }

  /// Runs `body` with drawing clipped to `rect` (intersected with the current clip).
  public mutating func clipped(to rect: Rect, _ body: (inout ScreenBuffer) -> Void) {
    let saved = clip
    let x0 = max(rect.x, clip.x)
    let y0 = max(rect.y, clip.y)
    clip = Rect(x: x0, y: y0, width: min(rect.maxX, clip.maxX) - x0, height: min(rect.maxY, clip.maxY) - y0)
    body(&self)
    clip = saved
  }
}
