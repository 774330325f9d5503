import Architecture

/// A derived DARTS cell drawn as a graph in the terminal: the inputs `c_{k-2}` and `c_{k-1}` on the left, the
/// intermediate nodes numbered 0... (state i + 2 is node i, as DARTS' `visualize.py` numbers them) in columns by
/// depth, the output `c_{k}` on the right, every kept edge a line from its input to its node labelled with its op,
/// and a line from each node of the genotype's `concat` into the output.
///
/// ```
/// normal cell
///  c_{k-2} ───┬───┬───┬────────────────────────┐
///  c_{k-1} ─┬─┼─┬─┼─┐ │                        │
///           │ │ │ │ │ └─ sep_conv_3x3 ─┐       │
///           │ │ │ │ │                  ├▶ 0 ─┬─┼─── ... ──┐
///           │ │ │ │ └─── sep_conv_3x3 ─┘     │ │          │
///           ...                                           ├▶ c_{k}
/// ```
///
/// Each edge runs in a lane of its own and enters its node on a row of its own, where its label sits, so labels
/// never overlap and lines only meet where one crosses another (`┼`; a branch is `┬`, the sum of a node's two
/// inputs its bar `┐├┘`). When the rectangle is too small the graph uses short op labels (`sep3`), narrower lanes
/// and two rows per node, and below its `minimumSize` it falls back to a compact text form, one line per node:
/// `0 <- sep3(c_{k-2}) + sep3(c_{k-1})`.
///
/// Colours: inputs, nodes and the output are chips in the `good`, `accent` and `title` roles; edges and their
/// labels take the colour of their op's family (as in the winner grid), trunks are `muted`.
public struct CellGraph: Sendable, Equatable {
  /// What `draw` put into the rectangle.
  public enum Form: Sendable, Equatable {
    /// The graph.
    case graph
    /// The compact text form: the graph did not fit (or the cell is not a valid DARTS cell).
    case text
    /// Nothing: the rectangle is empty.
    case nothing
  }

  /// The cell drawn.
  public var cell: CellGenotype
  /// The first row of the drawing, e.g. `normal cell`; empty for none.
  public var title: String

  /// The graph of `cell` under `title`.
  public init(cell: CellGenotype, title: String) {
    self.cell = cell
    self.title = title
  }

  /// The names of the narrowest layouts: `k-2`, `k-1` for the inputs, node numbers as in `stateName`.
  static func shortStateName(_ state: Int) -> String {
    switch state {
    case 0: "k-2"
    case 1: "k-1"
    default: CellTopology.stateName(state)
    }
  }

  private var isValid: Bool { (try? cell.validate(name: "cell")) != nil }

  private var verticals: [CellGraphLayout.Vertical] { CellGraphLayout.Vertical.all(titled: !title.isEmpty) }

  private func layout(_ horizontal: CellGraphLayout.Horizontal, _ vertical: CellGraphLayout.Vertical, extra: Int = 0)
    -> CellGraphLayout?
  {
    CellGraphLayout(cell: cell, horizontal: horizontal, vertical: vertical, extraWidth: extra)
  }

  /// The size at which the graph is drawn at its most readable (full op names, three rows per node); nil when the
  /// cell is not a valid DARTS cell.
  public var idealSize: TerminalSize? {
    guard let horizontal = CellGraphLayout.Horizontal.all.first, let vertical = verticals.first,
      let layout = layout(horizontal, vertical)
    else { return nil }
    return TerminalSize(width: layout.width, height: layout.height)
  }

  /// The smallest rectangle that still shows the graph (short labels, two rows per node, no title); in a smaller
  /// one `draw` writes the compact text form. Nil when the cell is not a valid DARTS cell (always text).
  public var minimumSize: TerminalSize? {
    guard let horizontal = CellGraphLayout.Horizontal.all.last, let vertical = verticals.last,
      let layout = layout(horizontal, vertical)
    else { return nil }
    return TerminalSize(width: layout.width, height: layout.height)
  }

  /// What `draw` draws in a rectangle of `size`.
  public func form(for size: TerminalSize) -> Form {
    guard size.width > 0, size.height > 0 else { return .nothing }
    return bestLayout(for: size) == nil ? .text : .graph
  }

  /// The most readable layout that fits `size`: the widest labels that fit the width and the tallest nodes that
  /// fit the height (the two are independent), with spare columns given to the label strips.
  private func bestLayout(for size: TerminalSize) -> CellGraphLayout? {
    guard isValid else { return nil }
    let vertical = verticals.first { v in
      layout(CellGraphLayout.Horizontal.all[0], v).map { $0.height <= size.height } ?? false
    }
    guard let vertical else { return nil }
    for horizontal in CellGraphLayout.Horizontal.all {
      guard let natural = layout(horizontal, vertical), natural.width <= size.width else { continue }
      let channels = max(CellGraphLayout.columns(of: cell).max() ?? 1, 1)
      let extra = min((size.width - natural.width) / channels, 6)
      return extra > 0 ? layout(horizontal, vertical, extra: extra) : natural
    }
    return nil
  }

  /// Draws the cell into `rect` of `buffer`: the graph, centred, when it fits, else the compact text form. Draws
  /// only inside `rect` and only the cells it uses (the caller clears the rectangle). `ascii` draws the lines with
  /// `-`, `|` and `+` and the arrows with `>` instead of box drawing.
  @discardableResult
  public func draw(in rect: Rect, on buffer: inout ScreenBuffer, ascii: Bool) -> Form {
    guard !rect.isEmpty else { return .nothing }
    var form = Form.text
    buffer.clipped(to: rect) { buffer in
      guard let layout = bestLayout(for: TerminalSize(width: rect.width, height: rect.height)) else {
        drawText(in: rect, on: &buffer, ascii: ascii)
        return
      }
      form = .graph
      let x = rect.x + (rect.width - layout.width) / 2
      let y = rect.y + (rect.height - layout.height) / 2
      layout.draw(at: (x, y), on: &buffer, ascii: ascii)
      if let row = layout.titleRow {
        let titleX = title.count <= rect.maxX - x ? x : rect.x
        buffer.put(
          Self.truncated(title, rect.maxX - titleX, ascii: ascii), x: titleX, y: y + row,
          style: CellStyle(.title, .bold))
      }
    }
    return form
  }

  // MARK: - The compact text form

  /// A run of text in one style.
  private typealias Run = (text: String, style: CellStyle)

  /// The lines of the compact text form in one naming: per node `0 <- sep3(c_{k-2}) + sep3(c_{k-1})` (edges in
  /// genotype order), then `c_{k} <- concat(0, 1, 2, 3)`. Never traps, whatever the cell holds.
  private func textRuns(fullNames: Bool, shortStates: Bool) -> [[Run]] {
    func state(_ s: Int) -> Run {
      (shortStates ? Self.shortStateName(s) : CellTopology.stateName(s), CellStyle(s < 2 ? .good : .accent, .bold))
    }
    let arrow: Run = (" <- ", .muted)
    var lines: [[Run]] = []
    let nodeCount = (cell.edges.count + CellGenotype.edgesPerNode - 1) / CellGenotype.edgesPerNode
    for k in 0..<nodeCount {
      var line: [Run] = [state(k + 2), arrow]
      let start = k * CellGenotype.edgesPerNode
      for (offset, edge) in cell.edges[start..<min(start + CellGenotype.edgesPerNode, cell.edges.count)].enumerated() {
        if offset > 0 { line.append((" + ", .muted)) }
        line.append((fullNames ? edge.op.name : edge.op.label, edge.op.cellStyle))
        line.append(("(", .muted))
        line.append(state(edge.input))
        line.append((")", .muted))
      }
      lines.append(line)
    }
    var output: [Run] = [
      (shortStates ? "k" : CellTopology.outputName, CellStyle(.title, .bold)), arrow, ("concat(", .muted),
    ]
    for (offset, node) in cell.concat.enumerated() {
      if offset > 0 { output.append((", ", .muted)) }
      output.append(state(node))
    }
    output.append((")", .muted))
    lines.append(output)
    do {
      try cell.validate(name: "cell")
    } catch {
      lines.append([("! \(error)", CellStyle(.warning, .bold))])
    }
    return lines
  }

  /// The lines of the compact text form that fit in `width` columns: op names in full if every line fits, else
  /// short labels, else short input names too (lines longer than that are cut).
  private func textRuns(width: Int) -> [[Run]] {
    let choices = [(true, false), (false, false), (false, true)].map { textRuns(fullNames: $0.0, shortStates: $0.1) }
    return choices.first { lines in lines.allSatisfy { $0.reduce(0) { $0 + $1.text.count } <= width } }
      ?? choices[choices.count - 1]
  }

  /// The compact text form as plain lines at most `width` columns wide: one line per node, e.g.
  /// `0 <- sep3(c_{k-2}) + sep3(c_{k-1})`, then `c_{k} <- concat(0, 1, 2, 3)`; no title. Longer lines end in `…`
  /// (`~` with `ascii`).
  public func textLines(width: Int, ascii: Bool = false) -> [String] {
    textRuns(width: width).map { Self.truncated($0.map(\.text).joined(), width, ascii: ascii) }
  }

  private func drawText(in rect: Rect, on buffer: inout ScreenBuffer, ascii: Bool) {
    var lines = textRuns(width: rect.width)
    if !title.isEmpty, lines.count < rect.height { lines.insert([(title, CellStyle(.title, .bold))], at: 0) }
    if lines.count > rect.height {
      let hidden = lines.count - rect.height + 1
      lines = Array(lines.prefix(rect.height - 1)) + [[("+\(hidden) more", CellStyle.muted)]]
    }
    for (row, line) in lines.enumerated() {
      let y = rect.y + row
      var x = rect.x
      for run in line where x < rect.maxX {
        x = buffer.put(run.text, x: x, y: y, style: run.style, maxWidth: rect.maxX - x)
      }
      if line.reduce(0, { $0 + $1.text.count }) > rect.width {
        buffer.set(rect.maxX - 1, y, ascii ? "~" : "…", .muted)
      }
    }
  }

  /// `text` cut to `width` columns with an ellipsis (`~` in ASCII) when it is longer.
  static func truncated(_ text: String, _ width: Int, ascii: Bool) -> String {
    guard width > 0 else { return "" }
    guard text.count > width else { return text }
    return String(text.prefix(width - 1)) + (ascii ? "~" : "…")
  }
}
