import Architecture
import Presentation
import RunEvents

/// Panel 3: one heatmap per searched component (ops as rows, the 14 edges as columns), the softmax weight as
/// colour, the argmax of each edge marked; or, with `w`, the winning op of each edge over the epochs.
enum HeatmapPanel {
  /// Each heatmap: a title row, one row per op, an edge-label row.
  static let rowsPerMap = 10
  static let labelWidth = 5

  /// Columns of heatmaps and the width of one weight cell for `count` maps in `size`; nil if none fits.
  static func arrangement(count: Int, edges: Int, in size: Rect) -> (columns: Int, cellWidth: Int)? {
    var best: (columns: Int, cellWidth: Int)?
    for columns in Set([count, 2, 1]).sorted(by: >) where columns <= count && columns > 0 {
      let rows = (count + columns - 1) / columns
      guard rows * rowsPerMap <= size.height else { continue }
      let cellWidth = min((size.width / columns - labelWidth - 1) / max(edges, 1), 6)
      guard cellWidth >= 1 else { continue }
      if best == nil || cellWidth > best!.cellWidth { best = (columns, cellWidth) }
    }
    return best
  }

  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    let epochs = data.epochs
    let name = model.showsWinners ? "winning ops" : "alphas"
    var titles = [name]
    if let index = model.epochIndex {
      let epoch = "\(epochs[index].epoch + 1)/\(data.started?.epochs ?? epochs.count)"
      let arrows = model.options.ascii ? " <>" : " ◀▶"
      titles = ["\(name) @ epoch \(epoch)\(arrows)", "\(name) @ \(epoch)\(arrows)", "\(name) \(epoch)"]
    }
    let inner = PanelFrame.draw(
      .alphas, in: rect, titles: titles, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let run = data.started, let report = model.selectedReport else {
      buffer.put("alphas appear after the first epoch", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    let components = run.components.filter { report.alphas[$0] != nil }
    let edges = components.compactMap { report.alphas[$0]?.count }.max() ?? 14
    guard let (columns, cellWidth) = arrangement(count: components.count, edges: edges, in: inner) else {
      buffer.put("zoom (3) to see the heatmaps", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    let slotWidth = inner.width / columns
    for (i, component) in components.enumerated() {
      let origin = (x: inner.x + (i % columns) * slotWidth, y: inner.y + (i / columns) * rowsPerMap)
      let slot = Rect(x: origin.x, y: origin.y, width: slotWidth, height: rowsPerMap)
      buffer.clipped(to: slot) { buffer in
        if model.showsWinners {
          drawWinners(component, model: model, run: run, in: slot, cellWidth: cellWidth, on: &buffer)
        } else {
          drawMap(component, report: report, model: model, run: run, in: slot, cellWidth: cellWidth, on: &buffer)
        }
      }
    }
    let used = ((components.count + columns - 1) / columns) * rowsPerMap
    if inner.height > used {
      drawLegend(model: model, cellWidth: cellWidth, at: inner.x, y: inner.y + used, width: inner.width, on: &buffer)
    }
  }

  /// The row index of the largest weight of each edge (column).
  static func argmax(_ alphas: [[Double]]) -> [Int] {
    alphas.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }
  }

  /// Shade characters from the lowest to the highest weight, for terminals without colour.
  static func shades(ascii: Bool) -> [Character] {
    ascii ? [" ", ".", ":", "-", "=", "+", "*", "#"] : [" ", "░", "▒", "▓", "█"]
  }

  /// The title row of a map: the longest of its names that fits beside the warning mark and the range of its
  /// colour scale, which ends where the weight cells end (`end`).
  static func titleRow(
    _ component: ArchitectureComponent, scale: WeightScale, warned: Bool, x: Int, end: Int, ascii: Bool
  ) -> (name: String, range: String) {
    let range = scale.label
    let room = end - x - range.count - 1 - (warned ? 2 : 0)
    let names = component.heatmapNames
    let name = names.first { $0.count <= room } ?? Format.truncate(names.last ?? "", room, ascii: ascii)
    return (name, range)
  }

  private static func drawMap(
    _ component: ArchitectureComponent, report: EpochReport, model: DashboardModel, run: RunStarted, in slot: Rect,
    cellWidth: Int, on buffer: inout ScreenBuffer
  ) {
    guard let alphas = report.alphas[component] else { return }
    let ascii = model.options.ascii
    let colorless = model.options.colorless
    let warnings = GenotypeWarnings.check(
      genotype: report.genotypes[component], alphas: alphas, primitives: run.primitives)
    // Each map spans its own weights: see `WeightScale`.
    let scale = WeightScale(fitting: alphas.joined()) ?? WeightScale(lower: 0, upper: 1)
    let cellsEnd = min(slot.x + labelWidth + alphas.count * cellWidth, slot.maxX)
    let (name, range) = titleRow(
      component, scale: scale, warned: !warnings.isEmpty, x: slot.x, end: cellsEnd, ascii: ascii)
    let x = buffer.put(name, x: slot.x, y: slot.y, style: CellStyle(.title, .bold))
    if !warnings.isEmpty { buffer.put(" !", x: x, y: slot.y, style: CellStyle(.warning, .bold)) }
    buffer.putRight(range, right: cellsEnd, y: slot.y, style: .muted)
    let winners = argmax(alphas)
    let showValues = model.showsValues && cellWidth >= 3
    let shades = Self.shades(ascii: ascii)
    for (op, primitive) in run.primitives.enumerated() {
      let y = slot.y + 1 + op
      buffer.put(primitive.label, x: slot.x, y: y, style: .muted)
      for (edge, weights) in alphas.enumerated() where op < weights.count {
        let w = weights[op]
        let level = scale.level(w, of: CellColor.heatLevels)
        let cx = slot.x + labelWidth + edge * cellWidth
        let isWinner = winners[edge] == op
        let heat = CellColor.heat(level)
        let contrast: CellColor = level >= 10 ? .rgb(RGB(0, 0, 0)) : .rgb(RGB(255, 255, 255))
        var text: [Character]
        var style: CellStyle
        if colorless {
          text = Array(repeating: shades[scale.level(w, of: shades.count)], count: cellWidth)
          style = CellStyle(foreground: heat)
        } else {
          text = Array(repeating: " ", count: cellWidth)
          style = CellStyle(foreground: contrast, background: heat)
        }
        if showValues {
          // Three-wide cells show hundredths (`08` for .08) so neighbouring values stay apart.
          let value = cellWidth >= 4 ? Array(Format.weight(w)) : Array(Format.weight(w).suffix(2))
          text = Array(repeating: " ", count: cellWidth - value.count) + value
          if isWinner { style = style.adding([.bold, .underline]) }
          if colorless && isWinner { style = style.adding(.reverse) }
        } else if isWinner {
          text[(cellWidth - 1) / 2] = ascii ? "@" : "◆"
          style = style.adding(.bold)
        }
        for (k, character) in text.enumerated() { buffer.set(cx + k, y, character, style) }
      }
    }
    drawEdgeLabels(
      edges: alphas.count, cellWidth: cellWidth, x: slot.x + labelWidth, y: slot.y + 1 + run.primitives.count,
      on: &buffer)
  }

  private static func drawEdgeLabels(edges: Int, cellWidth: Int, x: Int, y: Int, on buffer: inout ScreenBuffer) {
    guard let topology = CellTopology(edgeCount: edges) else { return }
    for (row, edge) in topology.edges.enumerated() {
      if cellWidth >= 4 {
        buffer.put(edge.name, x: x + row * cellWidth, y: y, style: .muted)
      } else if edge.input == 0 {
        // Narrow cells: the node number at the first edge into each node.
        buffer.put("n\(edge.node)", x: x + row * cellWidth, y: y, style: .muted)
      }
    }
  }

  private static func drawWinners(
    _ component: ArchitectureComponent, model: DashboardModel, run: RunStarted, in slot: Rect, cellWidth: Int,
    on buffer: inout ScreenBuffer
  ) {
    let reports = model.shown.epochs
    guard let end = model.epochIndex else { return }
    let name = slot.width >= 24 ? component.title : component.parameterName
    buffer.put(
      Format.truncate(name, slot.width, ascii: model.options.ascii), x: slot.x, y: slot.y,
      style: CellStyle(.title, .bold))
    let rows = rowsPerMap - 2
    let first = max(end - rows + 1, 0)
    var edges = 14
    for (row, index) in (first...end).enumerated() {
      let report = reports[index]
      let y = slot.y + 1 + row
      buffer.put("ep\(report.epoch + 1)", x: slot.x, y: y, style: index == end ? CellStyle(.focus, .bold) : .muted)
      guard let alphas = report.alphas[component] else { continue }
      edges = alphas.count
      for (edge, op) in argmax(alphas).enumerated() {
        let primitive = op < run.primitives.count ? run.primitives[op] : nil
        let previous = index > 0 ? reports[index - 1].alphas[component].map { argmax($0) } : nil
        var style = primitive?.cellStyle ?? .text
        if let previous, edge < previous.count, previous[edge] != op { style = style.adding(.reverse) }
        let x = slot.x + labelWidth + edge * cellWidth + (cellWidth - 1) / 2
        buffer.set(x, y, primitive?.letter ?? "?", style)
      }
    }
    drawEdgeLabels(edges: edges, cellWidth: cellWidth, x: slot.x + labelWidth, y: slot.y + rowsPerMap - 1, on: &buffer)
  }

  private static func drawLegend(
    model: DashboardModel, cellWidth: Int, at x: Int, y: Int, width: Int, on buffer: inout ScreenBuffer
  ) {
    let ascii = model.options.ascii
    var column = x
    if model.showsWinners {
      let text = Primitive.letterLegend + "; reverse = changed"
      buffer.put(Format.truncate(text, width, ascii: ascii), x: x, y: y, style: .muted)
      return
    }
    column = buffer.put((ascii ? "@" : "◆") + " argmax  min ", x: column, y: y, style: .muted)
    if model.options.colorless {
      let shades = Self.shades(ascii: ascii)
      for (level, shade) in shades.enumerated() {
        let heat = CellColor.heat(level * CellColor.heatLevels / shades.count)
        buffer.set(column, y, shade, CellStyle(foreground: heat))
        column += 1
      }
    } else {
      for level in stride(from: 0, to: CellColor.heatLevels, by: 2) {
        buffer.set(column, y, " ", CellStyle(background: .heat(level)))
        column += 1
      }
    }
    column = buffer.put(
      " max of each map (its range by its name)", x: column, y: y, style: .muted, maxWidth: x + width - column)
    if model.showsValues && cellWidth == 3 {
      column = buffer.put("  values in hundredths", x: column, y: y, style: .muted, maxWidth: x + width - column)
    }
    if model.showsValues && cellWidth < 3 {
      buffer.put("  zoom (3) for values", x: column, y: y, style: CellStyle(.warning), maxWidth: x + width - column)
    }
  }
}
