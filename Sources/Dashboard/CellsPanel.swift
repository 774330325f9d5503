import Architecture
import Presentation
import RunEvents

/// Panel 3 of a training run: the trained architecture's cells drawn as graphs (inputs c_{k-2}, c_{k-1}, the
/// nodes, each edge labelled with its op, the output concat): the normal and reduction cells, and for the
/// bbn recipe the instance and class heads' cells. As many cells as fit are drawn as graphs, in that order, in
/// the grid that draws them most readably; the title says how many more zooming shows. When not even one graph
/// fits, every cell is written in the compact text form.
enum CellsPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let run = model.shown.started
    let graphs: [CellGraph]? = run?.genotype.flatMap { try? GenotypeParser.parse($0) }.map { genotype in
      genotype.cells.map { CellGraph(cell: $0.cell, title: "\($0.component.title)") }
    }
    let inner = rect.insetBy(dx: 1, dy: 1)
    let grid: (columns: Int, rows: Int, shown: Int)? = graphs.map { plan(for: $0, in: inner) }
    // Longest first; a narrow panel (80 x 24) keeps the count and the zoom key before the genotype's name.
    var titles = ["cells (trained genotype)"]
    if let graphs, let grid, grid.shown > 0, grid.shown < graphs.count {
      let more = "+\(Format.count(graphs.count - grid.shown, "cell"))"
      let zoom = "zoom (\(PanelID.alphas.rawValue))"
      titles = ["cells (trained genotype), \(more), \(zoom)", "cells, \(more), \(zoom)", "cells, \(zoom)"]
    }
    _ = PanelFrame.draw(
      .alphas, in: rect, titles: titles, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let graphs, let grid else {
      buffer.put("the cells appear when the training starts", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    let drawn = grid.shown > 0 ? Array(graphs.prefix(grid.shown)) : graphs
    let width = inner.width / grid.columns
    let height = inner.height / grid.rows
    for (index, graph) in drawn.enumerated() {
      let column = index % grid.columns
      let slot = Rect(
        x: inner.x + column * width, y: inner.y + (index / grid.columns) * height,
        width: width - (column == grid.columns - 1 ? 0 : 1), height: height)
      if grid.shown > 0 {
        // The graph without its title row, which a 10-row slot has no room for; the name goes in a free corner.
        CellGraph(cell: graph.cell, title: "").draw(in: slot, on: &buffer, ascii: model.options.ascii)
        label(graph.title, in: slot, on: &buffer)
      } else {
        graph.draw(in: slot, on: &buffer, ascii: model.options.ascii)
      }
    }
  }

  /// Writes a cell's name right-aligned in the top or bottom row of its slot, where the graph left those
  /// columns blank (the graph is centred, so one of them nearly always is).
  static func label(_ name: String, in slot: Rect, on buffer: inout ScreenBuffer) {
    let text = " " + name
    guard text.count < slot.width else { return }
    let x = slot.maxX - text.count
    for y in [slot.y, slot.maxY - 1] where (x..<slot.maxX).allSatisfy({ buffer[$0, y] == .blank }) {
      buffer.put(text, x: x, y: y, style: CellStyle(.title, .bold))
      return
    }
  }

  /// How to lay out `graphs` in `rect`: the grid (columns x rows) and how many of the graphs, from the first, it
  /// draws as graphs. The most graphs that fit; among grids that fit as many, the one whose slots come closest
  /// to the graphs' ideal size. `shown` is 0 when not one graph fits (the grid then holds every cell as text,
  /// one column).
  static func plan(for graphs: [CellGraph], in rect: Rect) -> (columns: Int, rows: Int, shown: Int) {
    for shown in stride(from: graphs.count, to: 0, by: -1) {
      var best: (columns: Int, rows: Int, score: Double)?
      for columns in 1...shown {
        let rows = (shown + columns - 1) / columns
        let size = TerminalSize(
          width: rect.width / columns - (columns > 1 ? 1 : 0), height: rect.height / rows)
        let fitted = graphs.prefix(shown).map { CellGraph(cell: $0.cell, title: "") }
        guard fitted.allSatisfy({ $0.form(for: size) == .graph }) else { continue }
        let score =
          fitted.compactMap(\.idealSize).map {
            min(Double(size.width) / Double($0.width), Double(size.height) / Double($0.height), 1)
          }.min() ?? 0
        if best == nil || score > best!.score { best = (columns, rows, score) }
      }
      if let best { return (best.columns, best.rows, shown) }
    }
    return (1, max(graphs.count, 1), 0)
  }
}
