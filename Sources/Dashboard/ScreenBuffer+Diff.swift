/// A horizontal run of cells that share one style, to be written to the terminal in one call.
public struct CellRun: Sendable, Equatable {
  public var x: Int
  public var y: Int
  public var scalars: [Unicode.Scalar]
  public var style: CellStyle

  public init(x: Int, y: Int, scalars: [Unicode.Scalar], style: CellStyle) {
    self.x = x
    self.y = y
    self.scalars = scalars
    self.style = style
  }
}

extension ScreenBuffer {
  /// The runs that turn `previous` into this buffer; every cell when `previous` is nil or of another size.
  public func changes(from previous: ScreenBuffer?) -> [CellRun] {
    let compare = previous.map { $0.width == width && $0.height == height } ?? false
    var runs: [CellRun] = []
    for y in 0..<height {
      var x = 0
      let base = y * width
      while x < width {
        if compare, previous!.cells[base + x] == cells[base + x] {
          x += 1
          continue
        }
        let style = cells[base + x].style
        var scalars: [Unicode.Scalar] = [cells[base + x].scalar]
        var end = x + 1
        while end < width, cells[base + end].style == style,
          !compare || previous!.cells[base + end] != cells[base + end]
        {
          scalars.append(cells[base + end].scalar)
          end += 1
        }
        runs.append(CellRun(x: x, y: y, scalars: scalars, style: style))
        x = end
      }
    }
    return runs
  }

  /// Writes `run` into the buffer (the terminal test double uses this to replay what was blitted).
  public mutating func apply(_ run: CellRun) {
    for (offset, scalar) in run.scalars.enumerated() {
      self[run.x + offset, run.y] = Cell(scalar: scalar, style: run.style)
    }
  }
}
