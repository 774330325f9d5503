import Architecture

/// Where every part of a cell graph goes, for one choice of label widths and node heights.
///
/// The layout is layered: the inputs form column 0, an intermediate node sits in column 1 + the largest column of
/// its inputs, and the output `c_{k}` in the column after the deepest node. Rows are not shared: the two inputs
/// have a row each, and every intermediate node a band of `nodeRows` rows (the row of its first input port, its own
/// row, and with three rows the row of its second port; with two rows the second port enters on the node's own
/// row). A state's outgoing edges leave it on its row (its trunk); an edge then runs down a vertical lane of its own
/// in the channel just left of its target's column, and right along its port row into the node's bar, where the two
/// ports merge (the node is the sum of its two inputs). Because every row belongs to one state or one port, two
/// different edges only ever meet where a lane crosses another row; lanes are ordered so that they never cross the
/// port rows of their own channel, and each channel keeps a strip free of lanes for the labels, so labels never
/// touch another line.
struct CellGraphLayout: Sendable {
  /// How wide the graph is drawn, from the most readable choice to the narrowest.
  struct Horizontal: Sendable, Equatable {
    /// Op names in full (`sep_conv_3x3`) rather than short labels (`sep3`).
    var fullNames: Bool
    /// Columns from one lane to the next.
    var laneGap: Int
    /// A space either side of a node's name.
    var paddedChips: Bool
    /// `k-2`, `k-1`, `k` instead of `c_{k-2}`, `c_{k-1}`, `c_{k}`.
    var shortStateNames: Bool

    static let all: [Horizontal] = [
      Horizontal(fullNames: true, laneGap: 2, paddedChips: true, shortStateNames: false),
      Horizontal(fullNames: true, laneGap: 1, paddedChips: true, shortStateNames: false),
      Horizontal(fullNames: false, laneGap: 2, paddedChips: true, shortStateNames: false),
      Horizontal(fullNames: false, laneGap: 2, paddedChips: false, shortStateNames: false),
      Horizontal(fullNames: false, laneGap: 1, paddedChips: true, shortStateNames: false),
      Horizontal(fullNames: false, laneGap: 1, paddedChips: false, shortStateNames: false),
      Horizontal(fullNames: false, laneGap: 1, paddedChips: false, shortStateNames: true),
    ]
  }

  /// How tall the graph is drawn.
  struct Vertical: Sendable, Equatable {
    /// Rows per intermediate node: 3 (a port above and below the node's row) or 2.
    var nodeRows: Int
    /// Whether the first row holds the title.
    var title: Bool

    /// The choices from the most readable, for a graph with or without a title.
    static func all(titled: Bool) -> [Vertical] {
      titled
        ? [Vertical(nodeRows: 3, title: true), Vertical(nodeRows: 2, title: true), Vertical(nodeRows: 2, title: false)]
        : [Vertical(nodeRows: 3, title: false), Vertical(nodeRows: 2, title: false)]
    }
  }

  /// A kept edge: where its lane runs and where its label sits.
  struct Edge: Sendable {
    /// The index in the genotype's edge list.
    var index: Int
    var source: Int
    var node: Int
    var op: Primitive
    var label: String
    /// The row it enters its node on.
    var portRow: Int
    /// The column of its vertical lane.
    var lane: Int
    /// The first column of the label text.
    var labelX: Int
  }

  /// An input, an intermediate node or the output, drawn as a name on a coloured chip.
  struct Chip: Sendable {
    var text: String
    var x: Int
    var row: Int
    var role: ColorRole
    /// The end of the chip: where its trunk starts.
    var maxX: Int { x + text.count }
  }

  /// A state's outgoing line: along its row from its chip to its last lane (or the output bar).
  struct Trunk: Sendable {
    var state: Int
    var row: Int
    var from: Int
    var to: Int
  }

  var width: Int
  var height: Int
  var nodeRows: Int
  /// The title's row, if the title is drawn.
  var titleRow: Int?
  /// Chips by state (0 and 1 the inputs, then the intermediate nodes), and the output chip last.
  var chips: [Chip]
  var edges: [Edge]
  var trunks: [Trunk]
  /// The column of each intermediate node's bar (where its ports merge), by state; -1 for the inputs.
  var bars: [Int]
  /// The output bar: its column, the rows it spans and the row it leaves on towards `c_{k}`.
  var outputBar: Int
  var outputRows: ClosedRange<Int>
  var outputRow: Int

  /// The graph column of each state: 0 for the inputs, 1 + the largest column of a node's inputs.
  static func columns(of cell: CellGenotype) -> [Int] {
    var column = [Int](repeating: 0, count: cell.steps + 2)
    for (index, edge) in cell.edges.enumerated() {
      let node = cell.node(ofEdge: index)
      guard node < column.count, edge.input >= 0, edge.input < node else { continue }
      column[node] = max(column[node], column[edge.input] + 1)
    }
    return column
  }

  /// The layout of `cell`, or nil when the cell is not a valid DARTS cell (see `CellGenotype.validate`).
  /// `extraWidth` widens each channel's label strip by that many columns.
  init?(cell: CellGenotype, horizontal: Horizontal, vertical: Vertical, extraWidth: Int = 0) {
    guard (try? cell.validate(name: "cell")) != nil else { return nil }
    let steps = cell.steps
    let stateCount = steps + 2
    let column = Self.columns(of: cell)
    let depth = column.max() ?? 1
    nodeRows = vertical.nodeRows

    // Rows: the title, the two inputs, then a band per node.
    let top = vertical.title ? 1 : 0
    titleRow = vertical.title ? 0 : nil
    var row = [Int](repeating: 0, count: stateCount)
    row[0] = top
    row[1] = top + 1
    var portRow = [Int](repeating: 0, count: cell.edges.count)
    for k in 0..<steps {
      let base = top + 2 + k * nodeRows
      // The port nearer the top goes to the input listed first (the smaller state), as the reader expects.
      let pair = [2 * k, 2 * k + 1].sorted { (cell.edges[$0].input, $0) < (cell.edges[$1].input, $1) }
      portRow[pair[0]] = base
      row[k + 2] = base + 1
      portRow[pair[1]] = base + nodeRows - 1
    }
    height = top + 2 + steps * nodeRows

    // Columns, left to right.
    func stateName(_ state: Int) -> String {
      horizontal.shortStateNames ? CellGraph.shortStateName(state) : CellTopology.stateName(state)
    }
    func chipText(_ name: String) -> String { horizontal.paddedChips ? " \(name) " : name }
    var chips = (0..<stateCount).map { state in
      Chip(text: chipText(stateName(state)), x: 0, row: row[state], role: state < 2 ? .good : .accent)
    }
    var columnEnd = max(chips[0].text.count, chips[1].text.count)
    var bars = [Int](repeating: -1, count: stateCount)
    var edges: [Edge] = []
    for c in 1...max(depth, 1) {
      // The edges into this column, deepest port first: a lane then never crosses a port row of its channel.
      let incoming = cell.edges.indices.filter { column[cell.node(ofEdge: $0)] == c }.sorted {
        portRow[$0] > portRow[$1]
      }
      let firstLane = columnEnd + 1
      let lastLane = incoming.isEmpty ? columnEnd : firstLane + (incoming.count - 1) * horizontal.laneGap
      let labels = incoming.map { cell.edges[$0].op }.map { horizontal.fullNames ? $0.name : $0.label }
      let labelWidth = labels.map(\.count).max() ?? 0
      // After the last lane: a dash, a space, the label strip, a space, a dash, then the bar.
      let bar = lastLane + labelWidth + 5 + extraWidth
      for (offset, index) in incoming.enumerated() {
        let label = labels[offset]
        edges.append(
          Edge(
            index: index, source: cell.edges[index].input, node: cell.node(ofEdge: index), op: cell.edges[index].op,
            label: label, portRow: portRow[index], lane: firstLane + offset * horizontal.laneGap,
            labelX: bar - 2 - label.count))
      }
      var end = bar + 2
      for state in 2..<stateCount where column[state] == c {
        bars[state] = bar
        chips[state].x = bar + 2
        end = max(end, chips[state].maxX)
      }
      columnEnd = end
    }
    edges.sort { $0.index < $1.index }

    // The output: a bar two columns right of the deepest nodes, spanning the rows of the concatenated states.
    outputBar = columnEnd + 2
    let concatRows = Set(cell.concat.map { row[$0] }).sorted()
    let first = concatRows.first ?? top
    let last = concatRows.last ?? first
    outputRows = first...last
    // Leave the bar on a row no state enters it on (a four-way junction would read as a crossing), near the middle.
    let middle = Double(first + last) / 2
    let free = (first...last).filter { !concatRows.contains($0) }
    outputRow = free.min { abs(Double($0) - middle) < abs(Double($1) - middle) } ?? first
    chips.append(
      Chip(
        text: chipText(horizontal.shortStateNames ? "k" : CellTopology.outputName), x: outputBar + 2, row: outputRow,
        role: .title))
    width = outputBar + 2 + chips[chips.count - 1].text.count

    var trunks: [Trunk] = []
    let concat = Set(cell.concat)
    for state in 0..<stateCount {
      var ends = edges.filter { $0.source == state }.map(\.lane)
      if concat.contains(state) { ends.append(outputBar) }
      guard let end = ends.max() else { continue }
      trunks.append(Trunk(state: state, row: row[state], from: chips[state].maxX, to: end))
    }
    self.chips = chips
    self.edges = edges
    self.trunks = trunks
    self.bars = bars
  }
}

/// Line drawing on a grid: each cell collects the directions its lines leave in, and the glyph follows from them
/// (a lane meeting a trunk from above is a branch, two lines passing through each other a crossing).
struct LineCanvas {
  struct Arms: OptionSet {
    let rawValue: UInt8
    static let left = Arms(rawValue: 1)
    static let right = Arms(rawValue: 2)
    static let up = Arms(rawValue: 4)
    static let down = Arms(rawValue: 8)
  }

  let width: Int
  let height: Int
  private(set) var arms: [Arms]
  private(set) var styles: [CellStyle]

  init(width: Int, height: Int) {
    self.width = max(width, 0)
    self.height = max(height, 0)
    arms = Array(repeating: [], count: self.width * self.height)
    styles = Array(repeating: .plain, count: self.width * self.height)
  }

  private func index(_ x: Int, _ y: Int) -> Int? {
    x >= 0 && y >= 0 && x < width && y < height ? y * width + x : nil
  }

  /// Adds `extra` arms at (`x`, `y`), painting the cell in `style` when given.
  mutating func add(_ extra: Arms, _ x: Int, _ y: Int, style: CellStyle? = nil) {
    guard let i = index(x, y) else { return }
    arms[i].formUnion(extra)
    if let style { styles[i] = style }
  }

  /// A horizontal line on row `y` from `x0` to `x1`; `paintFrom` leaves the cells before it their style.
  mutating func horizontal(y: Int, from x0: Int, to x1: Int, style: CellStyle, paintFrom: Int? = nil) {
    guard x1 > x0 else { return }
    for x in x0...x1 {
      var extra: Arms = []
      if x > x0 { extra.insert(.left) }
      if x < x1 { extra.insert(.right) }
      add(extra, x, y, style: x >= (paintFrom ?? x0) ? style : nil)
    }
  }

  /// A vertical line in column `x` from `y0` down to `y1`; `paintFrom` leaves the cells above it their style.
  mutating func vertical(x: Int, from y0: Int, to y1: Int, style: CellStyle, paintFrom: Int? = nil) {
    guard y1 > y0 else { return }
    for y in y0...y1 {
      var extra: Arms = []
      if y > y0 { extra.insert(.up) }
      if y < y1 { extra.insert(.down) }
      add(extra, x, y, style: y >= (paintFrom ?? y0) ? style : nil)
    }
  }

  /// The glyph for a set of arms: box drawing, or `-`, `|` and `+` in ASCII, where a crossing shows the lane
  /// (`|`) so that only junctions are drawn `+`.
  static func glyph(_ arms: Arms, ascii: Bool) -> Character? {
    let horizontal = !arms.isDisjoint(with: [.left, .right])
    let vertical = !arms.isDisjoint(with: [.up, .down])
    if arms.isEmpty { return nil }
    if !vertical { return ascii ? "-" : "─" }
    if !horizontal { return ascii ? "|" : "│" }
    if arms == [.left, .right, .up, .down] { return ascii ? "|" : "┼" }
    if ascii { return "+" }
    switch arms {
    case [.right, .down]: return "┌"
    case [.left, .down]: return "┐"
    case [.right, .up]: return "└"
    case [.left, .up]: return "┘"
    case [.left, .right, .down]: return "┬"
    case [.left, .right, .up]: return "┴"
    case [.up, .down, .right]: return "├"
    case [.up, .down, .left]: return "┤"
    default: return "┼"
    }
  }
}

extension CellGraphLayout {
  /// Draws the layout with its top-left corner at (`x`, `y`); the title row is left to the caller.
  func draw(at origin: (x: Int, y: Int), on buffer: inout ScreenBuffer, ascii: Bool) {
    var canvas = LineCanvas(width: width, height: height)
    let trunkStyle = CellStyle(.muted)
    for trunk in trunks {
      canvas.horizontal(y: trunk.row, from: trunk.from, to: trunk.to, style: trunkStyle)
      // The first cell touches the chip: draw it as a full horizontal line.
      canvas.add(.left, trunk.from, trunk.row)
    }
    for edge in edges {
      let style = CellStyle(foreground: edge.op.cellStyle.foreground)
      let sourceRow = chips[edge.source].row
      canvas.vertical(x: edge.lane, from: sourceRow, to: edge.portRow, style: style, paintFrom: sourceRow + 1)
      canvas.horizontal(y: edge.portRow, from: edge.lane, to: bars[edge.node], style: style)
    }
    let nodeStyle = CellStyle(.accent)
    for node in bars.indices where bars[node] >= 0 {
      let row = chips[node].row
      canvas.vertical(x: bars[node], from: row - 1, to: row - 2 + nodeRows, style: nodeStyle)
      canvas.add(.right, bars[node], row, style: nodeStyle)
    }
    let outputStyle = CellStyle(.title)
    canvas.vertical(x: outputBar, from: outputRows.lowerBound, to: outputRows.upperBound, style: outputStyle)
    for row in outputRows { canvas.add([], outputBar, row, style: outputStyle) }
    canvas.add(.right, outputBar, outputRow, style: outputStyle)

    for y in 0..<height {
      for x in 0..<width {
        let i = y * width + x
        guard let glyph = LineCanvas.glyph(canvas.arms[i], ascii: ascii) else { continue }
        buffer.set(origin.x + x, origin.y + y, glyph, canvas.styles[i])
      }
    }
    let arrow: Character = ascii ? ">" : "▶"
    for node in bars.indices where bars[node] >= 0 {
      buffer.set(origin.x + bars[node] + 1, origin.y + chips[node].row, arrow, nodeStyle)
    }
    buffer.set(origin.x + outputBar + 1, origin.y + outputRow, arrow, outputStyle)
    for edge in edges {
      let y = origin.y + edge.portRow
      buffer.put(" ", x: origin.x + edge.labelX - 1, y: y, style: .plain)
      buffer.put(edge.label, x: origin.x + edge.labelX, y: y, style: edge.op.cellStyle)
      buffer.put(" ", x: origin.x + edge.labelX + edge.label.count, y: y, style: .plain)
    }
    for chip in chips {
      buffer.put(
        chip.text, x: origin.x + chip.x, y: origin.y + chip.row, style: CellStyle(chip.role, [.bold, .reverse]))
    }
  }
}
