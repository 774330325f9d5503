import Architecture
import Dashboard
import Testing

@Suite struct CellGraphTests {
  /// DARTS' published cell (genotypes.py, DARTS_V2), as in Tests/ArchitectureTests/GenotypeTextTests.swift.
  static let dartsV2 = try! GenotypeParser.parse(
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
      + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
      + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
      + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
      + "reduce_concat=[2, 3, 4, 5])")

  /// A cell with every primitive once (as in GenotypeTextTests.everyPrimitive).
  static let everyPrimitive = CellGenotype(
    edges: (0..<8).map { i in GenotypeEdge(op: Primitive.allCases[i], input: (i / 2 + 1 + i) % (2 + i / 2)) },
    concat: [2, 3, 4, 5])

  /// A chain: node 1 reads node 0, node 2 reads nodes 1 and 0, node 3 reads node 2 twice; only nodes 2 and 3 are
  /// concatenated.
  static let chain = CellGenotype(
    edges: [
      GenotypeEdge(op: .sep_conv_3x3, input: 0), GenotypeEdge(op: .sep_conv_5x5, input: 1),
      GenotypeEdge(op: .skip_connect, input: 2), GenotypeEdge(op: .dil_conv_3x3, input: 0),
      GenotypeEdge(op: .max_pool_3x3, input: 3), GenotypeEdge(op: .avg_pool_3x3, input: 2),
      GenotypeEdge(op: .dil_conv_5x5, input: 4), GenotypeEdge(op: .sep_conv_3x3, input: 4),
    ], concat: [4, 5])

  static func render(_ cell: CellGenotype, title: String = "cell", width: Int, height: Int, ascii: Bool = false)
    -> (ScreenBuffer, CellGraph.Form)
  {
    var buffer = ScreenBuffer(width: width, height: height)
    let form = CellGraph(cell: cell, title: title).draw(in: buffer.bounds, on: &buffer, ascii: ascii)
    return (buffer, form)
  }

  /// The edges a cell should show: (source, op, target) for every kept edge, (source, nil, `c_{k}`) for the concat.
  static func expectedEdges(_ cell: CellGenotype, fullNames: Bool, shortStates: Bool = false) -> [Trace] {
    func name(_ state: Int) -> String {
      shortStates && state < 2 ? ["k-2", "k-1"][state] : CellTopology.stateName(state)
    }
    var result = cell.edges.enumerated().map { index, edge in
      Trace(
        source: name(edge.input), label: fullNames ? edge.op.name : edge.op.label,
        target: name(cell.node(ofEdge: index)))
    }
    for state in Set(cell.concat) {
      result.append(Trace(source: name(state), label: nil, target: shortStates ? "k" : CellTopology.outputName))
    }
    return result.sorted()
  }

  // MARK: - Reading the drawing back

  /// One path found on the screen from a state to a node: the label passed on the way, if any.
  struct Trace: Hashable, Comparable, CustomStringConvertible {
    var source: String
    var label: String?
    var target: String

    static func < (a: Trace, b: Trace) -> Bool {
      (a.source, a.label ?? "", a.target) < (b.source, b.label ?? "", b.target)
    }
    var description: String { "\(source) -\(label ?? "")-> \(target)" }
  }

  /// The directions a box-drawing glyph connects: left, right, up, down.
  static let arms: [Character: Set<Character>] = [
    "─": ["l", "r"], "│": ["u", "d"], "┌": ["r", "d"], "┐": ["l", "d"], "└": ["r", "u"], "┘": ["l", "u"],
    "┬": ["l", "r", "d"], "┴": ["l", "r", "u"], "├": ["u", "d", "r"], "┤": ["u", "d", "l"],
    "┼": ["l", "r", "u", "d"],
  ]

  static func isNameCharacter(_ c: Character) -> Bool { c.isASCII && c != " " }

  /// The name starting at (`x`, `y`) and the column after it.
  static func name(in buffer: ScreenBuffer, x: Int, y: Int) -> (String, Int) {
    var end = x
    var text = ""
    while end < buffer.width, isNameCharacter(buffer[end, y].character) {
      text.append(buffer[end, y].character)
      end += 1
    }
    return (text, end)
  }

  /// Every path from every chip along the lines: rightwards, up and down (the graph never runs left), straight on
  /// through a crossing, reading a label where a horizontal line breaks for one, ending at the arrow into a node.
  static func traces(_ buffer: ScreenBuffer, inputs: [String]) -> [Trace] {
    var starts: [(name: String, x: Int, y: Int)] = []
    for y in 0..<buffer.height {
      let line = Array(buffer.line(y))
      for (x, c) in line.enumerated() where c == "▶" {
        var chipX = x + 1
        while chipX < line.count, line[chipX] == " " { chipX += 1 }
        let (chip, end) = name(in: buffer, x: chipX, y: y)
        starts.append((chip, end, y))
      }
      for input in inputs {
        if let range = buffer.line(y).range(of: input) {
          starts.append((input, buffer.line(y).distance(from: buffer.line(y).startIndex, to: range.upperBound), y))
        }
      }
    }
    var found: [Trace] = []
    for start in starts {
      var x = start.x
      if buffer[x, start.y].character == " " { x += 1 }
      guard arms[buffer[x, start.y].character] != nil else { continue }
      walk(buffer, x: x, y: start.y, moving: "r", source: start.name, label: nil, into: &found, visited: [])
    }
    return found.sorted()
  }

  static func walk(
    _ buffer: ScreenBuffer, x: Int, y: Int, moving: Character, source: String, label: String?,
    into found: inout [Trace],
    visited: Set<[Int]>
  ) {
    // `visited` holds the cells of this path only (two paths may share cells, as two edges share a trunk).
    guard x >= 0, y >= 0, x < buffer.width, y < buffer.height else { return }
    var visited = visited
    guard visited.insert([x, y]).inserted else { return }
    let glyph = buffer[x, y].character
    if glyph == "▶" {
      var chipX = x + 1
      while chipX < buffer.width, buffer[chipX, y].character == " " { chipX += 1 }
      found.append(Trace(source: source, label: label, target: name(in: buffer, x: chipX, y: y).0))
      return
    }
    if glyph == " " && moving == "r" {
      // A label: " name " on the line.
      let (text, end) = name(in: buffer, x: x + 1, y: y)
      guard !text.isEmpty, buffer[end, y].character == " " else { return }
      walk(buffer, x: end + 1, y: y, moving: "r", source: source, label: text, into: &found, visited: visited)
      return
    }
    guard let glyphArms = arms[glyph] else { return }
    let cameFrom: Character = ["r": "l", "u": "d", "d": "u"][moving] ?? "l"
    guard glyphArms.contains(cameFrom) else { return }
    let exits: Set<Character> = glyph == "┼" ? [moving] : glyphArms.subtracting([cameFrom, "l"])
    for exit in exits {
      let (dx, dy) = ["r": (1, 0), "u": (0, -1), "d": (0, 1)][exit] ?? (0, 0)
      walk(buffer, x: x + dx, y: y + dy, moving: exit, source: source, label: label, into: &found, visited: visited)
    }
  }

  // MARK: - Tests

  @Test(arguments: [("normal", 0), ("reduce", 1)])
  func dartsV2ShowsEveryNodeAndEdge(name: String, index: Int) {
    let cell = index == 0 ? Self.dartsV2.normal : Self.dartsV2.reduce
    let (buffer, form) = Self.render(cell, title: "\(name) cell", width: 90, height: 16)
    #expect(form == .graph)
    #expect(buffer.line(0).hasPrefix("\(name) cell"))
    for label in ["c_{k-2}", "c_{k-1}", "c_{k}", "▶ 0 ", "▶ 1 ", "▶ 2 ", "▶ 3 "] {
      #expect(buffer.contains(label), "\(label) missing")
    }
    for op in Set(cell.edges.map(\.op)) {
      let count = (0..<buffer.height).map { buffer.line($0).components(separatedBy: " \(op.name) ").count - 1 }
        .reduce(0, +)
      #expect(count == cell.edges.filter { $0.op == op }.count, "\(op.name) drawn \(count) times")
    }
    #expect(Self.traces(buffer, inputs: ["c_{k-2}", "c_{k-1}"]) == Self.expectedEdges(cell, fullNames: true))
  }

  @Test func dartsV2AtFiftyByTwelveUsesShortLabelsAndStillConnects() {
    for cell in [Self.dartsV2.normal, Self.dartsV2.reduce] {
      let (buffer, form) = Self.render(cell, title: "normal cell", width: 50, height: 12)
      #expect(form == .graph)
      #expect(buffer.contains("sep3") || buffer.contains("max3"))
      #expect(!buffer.contains("sep_conv_3x3"))
      #expect(Self.traces(buffer, inputs: ["c_{k-2}", "c_{k-1}"]) == Self.expectedEdges(cell, fullNames: false))
    }
  }

  @Test func everyPrimitiveAndCellsReadingOtherNodesConnect() {
    for cell in [Self.everyPrimitive, Self.chain] {
      let graph = CellGraph(cell: cell, title: "cell")
      let ideal = graph.idealSize!
      let (buffer, _) = Self.render(cell, width: ideal.width, height: ideal.height)
      #expect(Self.traces(buffer, inputs: ["c_{k-2}", "c_{k-1}"]) == Self.expectedEdges(cell, fullNames: true))
      let minimum = graph.minimumSize!
      let (small, form) = Self.render(cell, width: minimum.width, height: minimum.height)
      #expect(form == .graph)
      #expect(
        Self.traces(small, inputs: ["k-2", "k-1"]) == Self.expectedEdges(cell, fullNames: false, shortStates: true))
    }
    let (buffer, _) = Self.render(Self.everyPrimitive, width: 110, height: 16)
    for op in Primitive.allCases { #expect(buffer.contains(" \(op.name) "), "\(op.name) missing") }
    // The chain's nodes sit in four columns, one per depth: each node right of the nodes it reads.
    let (chain, _) = Self.render(Self.chain, width: 100, height: 16)
    let columns = (0..<4).map { node in
      (0..<chain.height).compactMap { y in
        chain.line(y).range(of: "▶ \(node) ").map {
          chain.line(y).distance(
            from: chain.line(y).startIndex, to: $0.lowerBound)
        }
      }.first ?? -1
    }
    #expect(columns.allSatisfy { $0 > 0 } && columns == columns.sorted() && Set(columns).count == 4)
  }

  @Test func randomValidCellsDrawConnectedAtEverySize() {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ n: Int) -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((seed >> 33) % UInt64(n))
    }
    for trial in 0..<60 {
      let steps = 1 + trial % 8
      let edges = (0..<(2 * steps)).map { i in
        GenotypeEdge(op: Primitive.allCases[next(8)], input: next(2 + i / 2))
      }
      let concat = (0..<(1 + next(steps))).map { _ in next(steps + 2) }
      let cell = CellGenotype(edges: edges, concat: concat)
      let graph = CellGraph(cell: cell, title: "cell \(trial)")
      let ideal = graph.idealSize!
      let (buffer, form) = Self.render(cell, width: ideal.width, height: ideal.height)
      #expect(form == .graph)
      #expect(
        Self.traces(buffer, inputs: ["c_{k-2}", "c_{k-1}"]) == Self.expectedEdges(cell, fullNames: true),
        "trial \(trial): \(cell.pythonList) \(cell.pythonConcat)")
      let minimum = graph.minimumSize!
      #expect(graph.form(for: minimum) == .graph)
      #expect(graph.form(for: TerminalSize(width: minimum.width - 1, height: ideal.height)) == .text)
      #expect(graph.form(for: TerminalSize(width: ideal.width, height: minimum.height - 1)) == .text)
      for (width, height) in [(minimum.width, minimum.height), (20, 5), (3, 1)] {
        _ = Self.render(cell, width: width, height: height)
        _ = Self.render(cell, width: width, height: height, ascii: true)
      }
    }
  }

  @Test func asciiModeDrawsOnlyAscii() {
    for (width, height) in [(90, 16), (50, 12), (30, 8)] {
      let (buffer, _) = Self.render(
        Self.dartsV2.normal, title: "normal cell", width: width, height: height, ascii: true)
      #expect(buffer.plainText.unicodeScalars.allSatisfy { $0.isASCII }, "\(width)x\(height)")
      #expect(buffer.contains("normal cell"))
    }
    let (buffer, _) = Self.render(Self.dartsV2.normal, width: 90, height: 16, ascii: true)
    #expect(buffer.contains("+> 0 -"))
    #expect(buffer.contains("c_{k}") && buffer.contains(" sep_conv_3x3 -+"))
  }

  @Test func stylesMarkInputsNodesOutputAndOps() {
    let (buffer, _) = Self.render(Self.dartsV2.normal, width: 90, height: 16)
    func style(of text: String) -> CellStyle? {
      for y in 0..<buffer.height {
        let line = buffer.line(y)
        if let range = line.range(of: text) {
          return buffer[line.distance(from: line.startIndex, to: range.lowerBound), y].style
        }
      }
      return nil
    }
    #expect(style(of: "c_{k-2}")?.foreground == .role(.good))
    #expect(style(of: "c_{k}")?.foreground == .role(.title))
    #expect(style(of: "0 ─")?.foreground == .role(.accent))
    #expect(style(of: "c_{k-2}")?.attributes.contains(.reverse) == true)
    #expect(style(of: "sep_conv_3x3")?.foreground == .role(.train))
    #expect(style(of: "skip_connect")?.foreground == .role(.warning))
    #expect(style(of: "dil_conv_3x3")?.foreground == .role(.instance))
    let output = [style(of: "c_{k-2}"), style(of: "0 ─"), style(of: "c_{k}")].compactMap { $0?.foreground }
    #expect(Set(output).count == 3)
  }

  @Test func aTooSmallRectangleGetsTheTextForm() {
    let graph = CellGraph(cell: Self.dartsV2.normal, title: "normal cell")
    #expect(graph.idealSize == TerminalSize(width: 78, height: 15))
    let minimum = graph.minimumSize!
    #expect(graph.form(for: minimum) == .graph)
    #expect(graph.form(for: TerminalSize(width: minimum.width - 1, height: 30)) == .text)
    #expect(graph.form(for: TerminalSize(width: 0, height: 10)) == .nothing)

    let (buffer, form) = Self.render(Self.dartsV2.normal, title: "normal cell", width: 36, height: 9)
    #expect(form == .text)
    #expect(buffer.line(0).hasPrefix("normal cell"))
    #expect(buffer.line(1).hasPrefix("0 <- sep3(c_{k-2}) + sep3(c_{k-1})"))
    #expect(buffer.line(4).hasPrefix("3 <- skip(c_{k-2}) + dil3(0)"))
    #expect(buffer.line(5).hasPrefix("c_{k} <- concat(0, 1, 2, 3)"))

    let (wide, _) = Self.render(Self.dartsV2.normal, title: "", width: 50, height: 5)
    #expect(wide.line(0).hasPrefix("0 <- sep_conv_3x3(c_{k-2}) + sep_conv_3x3(c_{k-1})"))
    #expect(wide.line(4) == "c_{k} <- concat(0, 1, 2, 3)".padding(toLength: 50, withPad: " ", startingAt: 0))

    // Fewer rows than lines: the last row says how many are hidden; narrower than a line: cut with an ellipsis.
    let (short, _) = Self.render(Self.dartsV2.normal, title: "normal cell", width: 20, height: 3)
    #expect(short.line(0) == "0 <- sep3(k-2) + se…")
    #expect(short.line(2).hasPrefix("+3 more"))
    #expect(
      graph.textLines(width: 30) == [
        "0 <- sep3(k-2) + sep3(k-1)", "1 <- sep3(k-2) + sep3(k-1)", "2 <- sep3(k-1) + skip(k-2)",
        "3 <- skip(k-2) + dil3(0)", "k <- concat(0, 1, 2, 3)",
      ])
  }

  @Test func drawingStaysInsideItsRectangle() {
    for (width, height) in [(90, 16), (50, 12), (30, 8), (8, 2)] {
      var buffer = ScreenBuffer(width: width + 4, height: height + 4, fill: Cell("#"))
      let rect = Rect(x: 2, y: 2, width: width, height: height)
      buffer.fill(rect)
      CellGraph(cell: Self.dartsV2.reduce, title: "reduction cell").draw(in: rect, on: &buffer, ascii: false)
      for y in 0..<buffer.height {
        for x in 0..<buffer.width where x < 2 || y < 2 || x >= rect.maxX || y >= rect.maxY {
          #expect(buffer[x, y].character == "#")
        }
      }
      #expect(buffer.clip == buffer.bounds)
    }
  }

  @Test func anInvalidCellIsShownAsTextWithTheProblem() {
    let cell = CellGenotype(edges: [GenotypeEdge(op: .sep_conv_3x3, input: 5)], concat: [9])
    let graph = CellGraph(cell: cell, title: "broken")
    #expect(graph.idealSize == nil && graph.minimumSize == nil)
    let (buffer, form) = Self.render(cell, title: "broken", width: 100, height: 10)
    #expect(form == .text)
    #expect(buffer.contains("0 <- sep_conv_3x3(3)"))
    #expect(buffer.contains("! "))
  }

  @Test func dartsV2NormalSnapshots() {
    let (large, _) = Self.render(Self.dartsV2.normal, title: "normal cell", width: 90, height: 16)
    assertSnapshot(large, named: "cell-graph-darts-v2-normal-90x16")
    let (small, _) = Self.render(Self.dartsV2.normal, title: "normal cell", width: 50, height: 12)
    assertSnapshot(small, named: "cell-graph-darts-v2-normal-50x12")
    let (ascii, _) = Self.render(Self.dartsV2.reduce, title: "reduction cell", width: 64, height: 14, ascii: true)
    assertSnapshot(ascii, named: "cell-graph-darts-v2-reduce-ascii-64x14")
  }
}
