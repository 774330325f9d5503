/// A rectangle of terminal cells: `x`, `y` of the top-left cell, `width` columns and `height` rows.
public struct Rect: Sendable, Equatable, Hashable {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  /// A rectangle from its top-left corner and size; negative sizes become 0.
  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(width, 0)
    self.height = max(height, 0)
  }

  /// The column just right of the rectangle.
  public var maxX: Int { x + width }
  /// The row just below the rectangle.
  public var maxY: Int { y + height }
  /// Whether the rectangle holds no cell.
  public var isEmpty: Bool { width == 0 || height == 0 }

  /// The rectangle shrunk by `dx` columns on each side and `dy` rows on top and bottom.
  public func insetBy(dx: Int, dy: Int) -> Rect {
    Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
  }

  /// The top `rows` rows and the rest.
  public func splitTop(_ rows: Int) -> (top: Rect, rest: Rect) {
    let r = min(max(rows, 0), height)
    return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
  }

  /// The left `columns` columns and the rest.
  public func splitLeft(_ columns: Int) -> (left: Rect, rest: Rect) {
    let c = min(max(columns, 0), width)
    return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
  }

  /// `count` columns of (nearly) equal width, left to right.
  public func columns(_ count: Int) -> [Rect] {
    guard count > 0 else { return [] }
    var result: [Rect] = []
    var left = x
    for i in 0..<count {
      let right = x + width * (i + 1) / count
      result.append(Rect(x: left, y: y, width: right - left, height: height))
      left = right
    }
    return result
  }

  /// `count` rows of (nearly) equal height, top to bottom.
  public func rows(_ count: Int) -> [Rect] {
    guard count > 0 else { return [] }
    var result: [Rect] = []
    var top = y
    for i in 0..<count {
      let bottom = y + height * (i + 1) / count
      result.append(Rect(x: x, y: top, width: width, height: bottom - top))
      top = bottom
    }
    return result
  }
}
