import Foundation
import Presentation

/// A line chart drawn into a rectangle of an `SVGDocument`: axes with ticks, a title, series with a legend
/// on the right, and labelled vertical markers.
public struct SVGChart: Sendable {
  /// One line.
  public struct Series: Sendable {
    public var label: String
    public var points: [(x: Double, y: Double)]
    public var color: String
    public var width: Double
    public var dash: String?
    public var opacity: Double
    /// Draws a step function: each value holds until the next point's x (and the last until `holdUntil`).
    public var stepped: Bool
    public var holdUntil: Double?
    /// Marks each point with a dot (a one-point series is then still visible).
    public var dots = false
    /// Error bars: for each point, the half-length of a vertical bar y ± error (e.g. a standard deviation);
    /// a NaN or missing entry draws none.
    public var errors: [Double]?

    public init(
      label: String, points: [(x: Double, y: Double)], color: String, width: Double = 1.5, dash: String? = nil,
      opacity: Double = 1, stepped: Bool = false, holdUntil: Double? = nil
    ) {
      self.label = label
      self.points = points
      self.color = color
      self.width = width
      self.dash = dash
      self.opacity = opacity
      self.stepped = stepped
      self.holdUntil = holdUntil
    }
  }

  /// A vertical line at `x`, labelled.
  public struct Marker: Sendable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
      self.x = x
      self.label = label
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var series: [Series] = []
  public var markers: [Marker] = []
  /// The x range; by default the range of the data.
  public var xRange: ClosedRange<Double>?
  /// The y range; by default the range of the data, padded.
  public var yRange: ClosedRange<Double>?
  /// Whether x ticks are whole numbers only (an axis of epochs).
  public var integerXTicks = false

  /// Series with more points are drawn from bucket means, so files stay small.
  public static let maximumPoints = 1500
  /// The series colours of tailnas' figures, in order.
  public static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
  static let legendWidth = 190.0

  public init(title: String, xLabel: String, yLabel: String) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// The chart's elements inside the rectangle at (`x`, `y`) of `width` x `height`.
  public func elements(x: Double, y: Double, width: Double, height: Double) -> [SVGElement] {
    let left = x + 62
    let right = x + width - Self.legendWidth
    let top = y + 28
    let bottom = y + height - 40
    let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    let xs = xRange ?? Self.range(finite.map(\.x) + series.compactMap(\.holdUntil), padding: 0)
    let bars = series.flatMap { s in
      zip(s.points, s.errors ?? []).filter { $0.1.isFinite }.flatMap { [$0.0.y - $0.1, $0.0.y + $0.1] }
    }
    let ys = yRange ?? Self.range(finite.map(\.y) + bars.filter(\.isFinite), padding: 0.05)
    func px(_ v: Double) -> Double { left + (v - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * (right - left) }
    func py(_ v: Double) -> Double { bottom - (v - ys.lowerBound) / (ys.upperBound - ys.lowerBound) * (bottom - top) }

    var out: [SVGElement] = [
      .text(title, x: left, y: y + 16, size: 13, weight: "bold"),
      .rect(x: left, y: top, width: right - left, height: bottom - top, fill: "#fbfbfb", stroke: "#999999"),
    ]
    for tick in Self.ticks(ys) {
      let ty = py(tick)
      out.append(.line(x1: left, y1: ty, x2: right, y2: ty, stroke: "#e3e3e3"))
      out.append(.text(Format.number(tick), x: left - 6, y: ty + 4, size: 10, anchor: "end"))
    }
    for tick in Self.ticks(xs, integers: integerXTicks) {
      let tx = px(tick)
      out.append(.line(x1: tx, y1: bottom, x2: tx, y2: bottom + 4, stroke: "#999999"))
      out.append(.text(Format.number(tick), x: tx, y: bottom + 16, size: 10, anchor: "middle"))
    }
    out.append(.text(xLabel, x: (left + right) / 2, y: bottom + 32, size: 11, anchor: "middle"))
    out.append(.text(yLabel, x: x + 14, y: (top + bottom) / 2, size: 11, anchor: "middle", rotation: -90))

    var lines: [SVGElement] = []
    for s in series {
      for segment in Self.segments(of: s) where !segment.isEmpty {
        let points = segment.map { (x: px($0.x), y: py(min(max($0.y, ys.lowerBound), ys.upperBound))) }
        lines.append(.polyline(points, stroke: s.color, width: s.width, dash: s.dash, opacity: s.opacity))
      }
      for (point, error) in zip(s.points, s.errors ?? []) where point.x.isFinite && point.y.isFinite && error > 0 {
        let x = px(point.x)
        let low = py(max(point.y - error, ys.lowerBound))
        let high = py(min(point.y + error, ys.upperBound))
        lines.append(.line(x1: x, y1: low, x2: x, y2: high, stroke: s.color, width: 1.2))
        lines.append(.line(x1: x - 4, y1: low, x2: x + 4, y2: low, stroke: s.color, width: 1.2))
        lines.append(.line(x1: x - 4, y1: high, x2: x + 4, y2: high, stroke: s.color, width: 1.2))
      }
      if s.dots {
        for point in s.points where point.x.isFinite && point.y.isFinite && ys.contains(point.y) {
          lines.append(.circle(x: px(point.x), y: py(point.y), radius: 2.5, fill: s.color))
        }
      }
    }
    out.append(.group(lines))
    for (index, marker) in markers.enumerated() where xs.contains(marker.x) {
      let mx = px(marker.x)
      out.append(.line(x1: mx, y1: top, x2: mx, y2: bottom, stroke: "#c0392b", width: 1, dash: "4 3"))
      out.append(
        .text("\(index + 1)", x: mx + 3, y: top + 12, size: 10, weight: "bold", fill: "#c0392b"))
    }
    var legendY = top + 8
    for s in series where !s.points.isEmpty {
      out.append(
        .line(
          x1: right + 12, y1: legendY, x2: right + 36, y2: legendY, stroke: s.color, width: max(s.width, 2),
          dash: s.dash))
      out.append(.text(s.label, x: right + 42, y: legendY + 4, size: 11))
      legendY += 16
    }
    for (index, marker) in markers.enumerated() where xs.contains(marker.x) {
      for (lineIndex, line) in Format.wrap("\(index + 1): \(marker.label)", width: 30).enumerated() {
        out.append(.text(line, x: right + 12 + (lineIndex > 0 ? 10 : 0), y: legendY + 4, size: 10, fill: "#c0392b"))
        legendY += 13
      }
    }
    return out
  }

  /// The finite stretches of a series (a NaN or infinite value breaks the line), stepped and thinned.
  static func segments(of series: Series) -> [[(x: Double, y: Double)]] {
    var result: [[(x: Double, y: Double)]] = [[]]
    for point in thinned(series.points) {
      if point.x.isFinite && point.y.isFinite {
        result[result.count - 1].append(point)
      } else if !result[result.count - 1].isEmpty {
        result.append([])
      }
    }
    guard series.stepped else { return result }
    return result.map { segment in
      var stepped: [(x: Double, y: Double)] = []
      for (index, point) in segment.enumerated() {
        if index > 0 { stepped.append((point.x, segment[index - 1].y)) }
        stepped.append(point)
      }
      if let last = segment.last, let end = series.holdUntil, end > last.x { stepped.append((end, last.y)) }
      return stepped
    }
  }

  /// At most `maximumPoints` points: bucket means of x and y.
  static func thinned(_ points: [(x: Double, y: Double)]) -> [(x: Double, y: Double)] {
    guard points.count > maximumPoints else { return points }
    let bucket = (points.count + maximumPoints - 1) / maximumPoints
    return stride(from: 0, to: points.count, by: bucket).map { start in
      let slice = points[start..<min(start + bucket, points.count)]
      let n = Double(slice.count)
      return (slice.reduce(0) { $0 + $1.x } / n, slice.reduce(0) { $0 + $1.y } / n)
    }
  }

  /// The range of `values`, padded by `padding` of its span (a flat range is widened), as the terminal's
  /// charts fit theirs; 0...1 without values.
  static func range(_ values: [Double], padding: Double) -> ClosedRange<Double> {
    guard let scale = ChartScale.fitting(values, logarithmic: false, padding: padding) else { return 0...1 }
    return scale.lower...scale.upper
  }

  /// About five round tick values inside `range` (whole numbers with `integers`), as the terminal's charts
  /// place theirs.
  static func ticks(_ range: ClosedRange<Double>, integers: Bool = false) -> [Double] {
    ChartScale(lower: range.lowerBound, upper: range.upperBound).ticks(count: 5, integers: integers)
  }
}
