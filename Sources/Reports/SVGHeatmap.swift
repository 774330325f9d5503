import Foundation
import Presentation

/// A grid of coloured cells (rows x columns) with an optional outline on chosen cells, drawn into an
/// `SVGDocument`; values map to colours through `SVGHeatmap.color(_:)` over a `WeightScale`, which spans the
/// weights shown so the small differences of DARTS' weights near 1/8 stay visible.
public struct SVGHeatmap: Sendable {
  public var values: [[Double]]
  /// Cells (row, column) drawn with a dark outline, e.g. the ops a genotype keeps.
  public var outlined: Set<Cell> = []
  public var scale: WeightScale
  public var cellWidth = 18.0
  public var cellHeight = 14.0
  /// A tooltip per cell, given the row, column and value.
  public var tooltip: (@Sendable (Int, Int, Double) -> String)?

  /// A cell position.
  public struct Cell: Hashable, Sendable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
      self.row = row
      self.column = column
    }
  }

  public init(values: [[Double]], scale: WeightScale) {
    self.values = values
    self.scale = scale
  }

  /// The columns of the widest row.
  public var columnCount: Int { values.map(\.count).max() ?? 0 }
  public var width: Double { Double(columnCount) * cellWidth }
  public var height: Double { Double(values.count) * cellHeight }

  /// The colour of `value` on the scale.
  public func color(of value: Double) -> String { Self.color(scale.fraction(value)) }

  /// The cells with their top-left corner at (`x`, `y`), each a `rect` of class `cell`.
  public func elements(x: Double, y: Double) -> [SVGElement] {
    var cells: [SVGElement] = []
    var outlines: [SVGElement] = []
    for (row, rowValues) in values.enumerated() {
      for (column, value) in rowValues.enumerated() {
        let cx = x + Double(column) * cellWidth
        let cy = y + Double(row) * cellHeight
        var cell = SVGElement.rect(
          x: cx, y: cy, width: cellWidth, height: cellHeight, fill: color(of: value), stroke: "#ffffff",
          strokeWidth: 0.5)
        cell.attributes.append(("class", "cell"))
        if let tooltip { cell.children = [.title(tooltip(row, column, value))] }
        cells.append(cell)
        if outlined.contains(Cell(row: row, column: column)) {
          outlines.append(
            .rect(
              x: cx + 1, y: cy + 1, width: cellWidth - 2, height: cellHeight - 2, fill: "none", stroke: "#d62728",
              strokeWidth: 2))
        }
      }
    }
    return cells + outlines
  }

  /// A vertical colour bar for `scale` with its top-left corner at (`x`, `y`): the range written above it
  /// (`weight .1237-.1263`), the smallest and largest weight at its ends, round ticks between them, and the
  /// uniform weight `uniform` (1/8 for eight ops) marked when it falls inside the range.
  public func colorBar(x: Double, y: Double, height: Double, label: String, uniform: Double? = nil) -> [SVGElement] {
    let steps = 32
    var out: [SVGElement] = []
    for index in 0..<steps {
      let t = 1 - (Double(index) + 0.5) / Double(steps)
      out.append(
        .rect(
          x: x, y: y + Double(index) * height / Double(steps), width: 14, height: height / Double(steps) + 0.5,
          fill: Self.color(t)))
    }
    out.append(.rect(x: x, y: y, width: 14, height: height, fill: "none", stroke: "#666666"))
    out.append(.text("\(label) \(scale.label)", x: x, y: y - 8, size: 11))
    guard !scale.isFlat else {
      out.append(.text("all \(scale.text(scale.lower))", x: x + 21, y: y + height / 2, size: 10))
      return out
    }
    func level(_ value: Double) -> Double { y + height * (1 - scale.fraction(value)) }
    var labelled: [Double] = []
    func tick(_ value: Double, _ text: String, weight: String? = nil, length: Double = 4) {
      let ty = level(value)
      out.append(.line(x1: x + 14, y1: ty, x2: x + 14 + length, y2: ty, stroke: "#666666"))
      out.append(.text(text, x: x + 17 + length, y: ty + 4, size: 10, weight: weight))
      labelled.append(ty)
    }
    tick(scale.upper, scale.text(scale.upper), weight: "bold")
    tick(scale.lower, scale.text(scale.lower), weight: "bold")
    if let uniform, uniform > scale.lower, uniform < scale.upper {
      let ty = level(uniform)
      out.append(.line(x1: x - 3, y1: ty, x2: x + 17, y2: ty, stroke: "#222222", width: 1.5))
      if labelled.allSatisfy({ abs($0 - ty) > 12 }) {
        let text = "uniform 1/\(Int((1 / uniform).rounded()))"
        out.append(.text(text, x: x + 21, y: ty + 4, size: 10, fill: "#222222"))
        labelled.append(ty)
      }
    }
    let range = ChartScale(lower: scale.lower, upper: scale.upper)
    for value in range.ticks(count: 5) where labelled.allSatisfy({ abs($0 - level(value)) > 12 }) {
      tick(value, scale.text(value))
    }
    return out
  }

  /// Viridis, sampled at nine points and interpolated; `t` is clamped to [0, 1].
  public static func color(_ t: Double) -> String {
    let anchors: [(Double, Double, Double)] = [
      (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142), (31, 158, 137), (53, 183, 121),
      (109, 205, 89), (253, 231, 37),
    ]
    let t = t.isFinite ? min(max(t, 0), 1) : 0
    let position = t * Double(anchors.count - 1)
    let index = min(Int(position), anchors.count - 2)
    let f = position - Double(index)
    let (a, b) = (anchors[index], anchors[index + 1])
    let rgb = [a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, a.2 + (b.2 - a.2) * f]
    return "#" + rgb.map { String(format: "%02x", Int($0.rounded())) }.joined()
  }
}
