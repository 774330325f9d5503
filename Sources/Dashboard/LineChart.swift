import Presentation

/// One line of a chart.
public struct ChartSeries: Sendable {
  public var name: String
  public var xs: [Double]
  public var ys: [Double]
  public var style: CellStyle
  /// The character that draws the series in ASCII mode.
  public var asciiGlyph: Character
  /// Whether the legend names the series.
  public var inLegend: Bool

  public init(
    name: String, xs: [Double], ys: [Double], style: CellStyle, asciiGlyph: Character = "*", inLegend: Bool = true
  ) {
    self.name = name
    self.xs = xs
    self.ys = ys
    self.style = style
    self.asciiGlyph = asciiGlyph
    self.inLegend = inLegend
  }
}

/// A line chart drawn with braille dots (2 x 4 per cell) or ASCII characters, with y tick labels, x tick
/// labels, a legend, shaded x intervals (pauses), vertical markers (schedule edits) and a cursor.
public struct LineChart: Sendable {
  public var series: [ChartSeries] = []
  /// X intervals to shade, e.g. pauses; each is at least one column wide.
  public var bands: [ClosedRange<Double>] = []
  /// Vertical markers with a one-letter label, e.g. `E` for a schedule edit.
  public var markers: [(x: Double, label: Character)] = []
  /// A vertical cursor, e.g. the selected epoch.
  public var cursor: Double?
  public var xRange: ClosedRange<Double>?
  public var yRange: ClosedRange<Double>?
  public var logarithmic = false
  public var ascii = false
  /// The terminal shows no colour: each named series also carries its glyph along its line every few
  /// columns, and the legend shows the glyphs, so overlapping braille lines stay apart.
  public var colorless = false
  /// Whether x ticks are whole numbers only (an axis of epochs).
  public var integerXTicks = false
  /// Formats x tick labels.
  public var xLabel: @Sendable (Double) -> String = { Format.number($0) }
  /// Extra legend text after the series names.
  public var legendSuffix = ""
  /// Whether the bottom row shows x tick labels (stacked charts show them only once).
  public var showsXLabels = true

  public init() {}

  /// The y scale the chart would use.
  public func yScale() -> ChartScale? {
    if let yRange { return ChartScale(lower: yRange.lowerBound, upper: yRange.upperBound, logarithmic: logarithmic) }
    var values: [Double] = []
    values.reserveCapacity(series.reduce(0) { $0 + $1.ys.count })
    for s in series { values.append(contentsOf: s.ys) }
    return ChartScale.fitting(values, logarithmic: logarithmic)
  }

  /// The x scale the chart would use.
  public func xScale() -> ChartScale? {
    if let xRange { return ChartScale(lower: xRange.lowerBound, upper: xRange.upperBound) }
    var lower = Double.infinity
    var upper = -Double.infinity
    for s in series {
      // x values are sorted, so the ends bound each series.
      for x in [s.xs.first, s.xs.last].compactMap({ $0 }) where x.isFinite {
        lower = min(lower, x)
        upper = max(upper, x)
      }
    }
    guard lower <= upper else { return nil }
    return ChartScale(lower: lower, upper: upper)
  }

  /// Draws the chart into `rect`.
  public func draw(in rect: Rect, on buffer: inout ScreenBuffer) {
    guard rect.width >= 12, rect.height >= 3 else { return }
    drawLegend(y: rect.y, x: rect.x, width: rect.width, on: &buffer)
    guard let ys = yScale(), let xs = xScale() else {
      buffer.put("waiting for data", x: rect.x + 2, y: rect.y + rect.height / 2, style: .muted)
      return
    }
    let labelWidth = 6
    let plot = Rect(
      x: rect.x + labelWidth + 1, y: rect.y + 1, width: rect.width - labelWidth - 1,
      height: rect.height - (showsXLabels ? 2 : 1))
    guard plot.width > 1, plot.height > 0 else { return }
    let axisStyle = CellStyle(.axis)
    // Y axis and tick labels.
    for row in 0..<plot.height { buffer.set(plot.x - 1, plot.y + row, ascii ? "|" : "│", axisStyle) }
    var usedRows = Set<Int>()
    for tick in ys.ticks(count: max(plot.height / 3, 2)) {
      let row = plot.height - 1 - Int((ys.fraction(tick) * Double(plot.height - 1)).rounded())
      guard row >= 0, row < plot.height, !usedRows.contains(row) else { continue }
      usedRows.insert(row)
      let text = Format.truncate(Format.number(tick), labelWidth)
      buffer.putRight(text, right: plot.x - 1, y: plot.y + row, style: axisStyle)
      buffer.set(plot.x - 1, plot.y + row, ascii ? "+" : "┤", axisStyle)
    }
    if showsXLabels { drawXLabels(xs, plot: plot, y: rect.maxY - 1, on: &buffer) }
    func column(_ x: Double) -> Int {
      Int((xs.fraction(x) * Double(plot.width - 1)).rounded())
    }
    // Pause bands and markers first, so data draws over them.
    for band in bands {
      let c0 = max(column(band.lowerBound), 0)
      let c1 = min(max(column(band.upperBound), c0), plot.width - 1)
      guard c0 <= c1 else { continue }
      for c in c0...c1 {
        for row in 0..<plot.height {
          buffer.set(plot.x + c, plot.y + row, ascii ? "." : "░", CellStyle(.pauseBand))
          buffer.setBackground(plot.x + c, plot.y + row, .role(.pauseBand))
        }
        buffer.set(plot.x + c, plot.y, "P", CellStyle(.paused, .bold, background: .role(.pauseBand)))
      }
    }
    if let cursor, xs.fraction(cursor).isFinite {
      let c = column(cursor)
      if c >= 0, c < plot.width {
        for row in 0..<plot.height { buffer.set(plot.x + c, plot.y + row, ascii ? "|" : "┆", CellStyle(.focus, .dim)) }
      }
    }
    for marker in markers {
      let c = column(marker.x)
      guard c >= 0, c < plot.width else { continue }
      for row in 1..<max(plot.height, 1) {
        buffer.set(plot.x + c, plot.y + row, ascii ? ":" : "┊", CellStyle(.editMarker))
      }
      buffer.set(plot.x + c, plot.y, marker.label, CellStyle(.editMarker, .bold))
    }
    drawSeries(xs: xs, ys: ys, plot: plot, on: &buffer)
    if colorless && !ascii { drawGlyphs(xs: xs, ys: ys, plot: plot, on: &buffer) }
    if !ascii { drawLonePoints(xs: xs, ys: ys, plot: plot, on: &buffer) }
  }

  /// A series of one point (a chart after one epoch) is a single braille dot, easily missed: its glyph marks it.
  private func drawLonePoints(xs: ChartScale, ys: ChartScale, plot: Rect, on buffer: inout ScreenBuffer) {
    for s in series where s.inLegend {
      let finite = zip(s.xs, s.ys).filter { xs.fraction($0.0).isFinite && ys.fraction($0.1).isFinite }
      guard finite.count == 1, let (x, y) = finite.first else { continue }
      let column = Int(xs.fraction(x) * Double(plot.width * 2 - 1) + 0.5) >> 1
      let row = Int((1 - min(max(ys.fraction(y), 0), 1)) * Double(plot.height * 4 - 1) + 0.5) >> 2
      guard column >= 0, column < plot.width else { continue }
      let background = buffer[plot.x + column, plot.y + row].style.background
      buffer.set(plot.x + column, plot.y + row, s.asciiGlyph, s.style.adding(.bold).on(background))
    }
  }

  /// The columns between two glyphs of one series in a colourless chart.
  static let glyphSpacing = 8

  /// Colourless charts: each named series' glyph on its line every `glyphSpacing` columns, the series
  /// staggered so their glyphs fall in different columns.
  private func drawGlyphs(xs: ChartScale, ys: ChartScale, plot: Rect, on buffer: inout ScreenBuffer) {
    let named = series.filter(\.inLegend)
    guard named.count > 1 else { return }
    let spacing = Self.glyphSpacing
    for (index, s) in named.enumerated() {
      let n = min(s.xs.count, s.ys.count)
      guard n > 0 else { continue }
      var column = 1 + index * spacing / named.count
      var point = 0
      while column < plot.width {
        // The point nearest the column's x (xs are sorted).
        let x = xs.value(at: Double(column) / Double(max(plot.width - 1, 1)))
        while point + 1 < n && s.xs[point + 1] <= x { point += 1 }
        if point + 1 < n && abs(s.xs[point + 1] - x) < abs(s.xs[point] - x) { point += 1 }
        let fy = ys.fraction(s.ys[point])
        let near = abs(xs.fraction(s.xs[point]) - xs.fraction(x)) * Double(plot.width) <= 1
        if fy.isFinite && near {
          // The row of the line's braille dot at this value (as `drawSeries` places it).
          let row = Int((1 - min(max(fy, 0), 1)) * Double(plot.height * 4 - 1) + 0.5) >> 2
          let background = buffer[plot.x + column, plot.y + row].style.background
          buffer.set(plot.x + column, plot.y + row, s.asciiGlyph, s.style.adding(.bold).on(background))
        }
        column += spacing
      }
    }
  }

  private func drawLegend(y: Int, x: Int, width: Int, on buffer: inout ScreenBuffer) {
    var column = x
    for s in series where s.inLegend {
      let glyph: String = ascii ? String(s.asciiGlyph) : colorless ? "\(s.asciiGlyph)─" : "─"
      column = buffer.put(glyph + s.name + " ", x: column, y: y, style: s.style, maxWidth: x + width - column)
    }
    if !legendSuffix.isEmpty {
      buffer.put(legendSuffix, x: column, y: y, style: .muted, maxWidth: x + width - column)
    }
  }

  private func drawXLabels(_ xs: ChartScale, plot: Rect, y: Int, on buffer: inout ScreenBuffer) {
    var nextFree = plot.x - 1
    for tick in xs.ticks(count: max(plot.width / 8, 3), integers: integerXTicks) {
      let c = plot.x + Int((xs.fraction(tick) * Double(plot.width - 1)).rounded())
      let text = xLabel(tick)
      let start = min(max(c - text.count / 2, plot.x - 1), plot.maxX - text.count)
      guard start > nextFree else { continue }
      buffer.put(text, x: start, y: y, style: CellStyle(.axis))
      nextFree = start + text.count
    }
  }

  private func drawSeries(xs: ChartScale, ys: ChartScale, plot: Rect, on buffer: inout ScreenBuffer) {
    let width = plot.width
    let dotsWide = width * 2
    let dotsHigh = plot.height * 4
    var bits = [UInt8](repeating: 0, count: width * plot.height)
    var owner = [Int8](repeating: -1, count: width * plot.height)
    let xScale = Double(dotsWide - 1)
    let yScale = Double(dotsHigh - 1)
    bits.withUnsafeMutableBufferPointer { bits in
      owner.withUnsafeMutableBufferPointer { owner in
        // Braille dot bits: left column 0x01 0x02 0x04 0x40 top to bottom, right column 0x08 0x10 0x20 0x80.
        @inline(__always) func dot(_ x: Int, _ y: Int, _ series: Int8) {
          guard x >= 0, y >= 0, x < dotsWide, y < dotsHigh else { return }
          let row = y & 3
          let bit: UInt8 = row == 3 ? (x & 1 == 0 ? 0x40 : 0x80) : (x & 1 == 0 ? 1 : 8) << UInt8(row)
          let i = (y >> 2) * width + (x >> 1)
          bits[i] |= bit
          owner[i] = series
        }
        for (index, s) in series.enumerated() {
          let id = Int8(index)
          var previous: (x: Int, y: Int)?
          let n = min(s.xs.count, s.ys.count)
          for i in 0..<n {
            let fy = ys.fraction(s.ys[i])
            let fx = xs.fraction(s.xs[i])
            guard fy.isFinite, fx.isFinite else {
              previous = nil
              continue
            }
            let px = Int(fx * xScale + 0.5)
            let py = Int((1 - min(max(fy, 0), 1)) * yScale + 0.5)
            guard let (x0, y0) = previous else {
              dot(px, py, id)
              previous = (px, py)
              continue
            }
            if x0 == px && y0 == py { continue }
            // Bresenham from the previous point.
            var x = x0
            var y = y0
            let dx = abs(px - x0)
            let dy = -abs(py - y0)
            let sx = x0 < px ? 1 : -1
            let sy = y0 < py ? 1 : -1
            var error = dx + dy
            while true {
              dot(x, y, id)
              if x == px && y == py { break }
              let e2 = 2 * error
              if e2 >= dy {
                error += dy
                x += sx
              }
              if e2 <= dx {
                error += dx
                y += sy
              }
            }
            previous = (px, py)
          }
        }
      }
    }
    for row in 0..<plot.height {
      for col in 0..<width {
        let i = row * width + col
        guard bits[i] != 0 else { continue }
        let s = series[Int(owner[i])]
        let background = buffer[plot.x + col, plot.y + row].style.background
        if ascii {
          buffer.set(plot.x + col, plot.y + row, s.asciiGlyph, s.style.on(background))
        } else {
          let braille = Unicode.Scalar(0x2800 + UInt32(bits[i]))!
          buffer.set(plot.x + col, plot.y + row, scalar: braille, s.style.on(background))
        }
      }
    }
  }
}
