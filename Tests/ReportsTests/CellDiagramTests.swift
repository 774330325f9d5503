import Architecture
import Foundation
import Reports
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct CellDiagramTests {
  /// DARTS' published cell (genotypes.py, DARTS_V2), as in Tests/ArchitectureTests/GenotypeTextTests.swift.
  static let dartsV2 = try! GenotypeParser.parse(
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
      + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
      + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
      + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
      + "reduce_concat=[2, 3, 4, 5])")

  /// A cell with every primitive once (as in GenotypeTextTests.everyPrimitive).
  static func everyPrimitive(shift: Int) -> CellGenotype {
    CellGenotype(
      edges: (0..<8).map { i in
        GenotypeEdge(op: Primitive.allCases[(i + shift) % 8], input: (i / 2 + 1 + i) % (2 + i / 2))
      },
      concat: [2, 3, 4, 5])
  }

  /// What DARTS' visualize.py writes for DARTS_V2's normal cell (its `rankdir=LR` on a line of its own).
  static let dartsNormalDot = """
    digraph {
    \tnode [align=center fontname=times fontsize=20 height=0.5 penwidth=2 shape=rect style=filled width=0.5]
    \tedge [fontname=times fontsize=20]
    \trankdir=LR
    \t"c_{k-2}" [fillcolor=darkseagreen2]
    \t"c_{k-1}" [fillcolor=darkseagreen2]
    \t0 [fillcolor=lightblue]
    \t1 [fillcolor=lightblue]
    \t2 [fillcolor=lightblue]
    \t3 [fillcolor=lightblue]
    \t"c_{k-2}" -> 0 [label=sep_conv_3x3 fillcolor=gray]
    \t"c_{k-1}" -> 0 [label=sep_conv_3x3 fillcolor=gray]
    \t"c_{k-2}" -> 1 [label=sep_conv_3x3 fillcolor=gray]
    \t"c_{k-1}" -> 1 [label=sep_conv_3x3 fillcolor=gray]
    \t"c_{k-1}" -> 2 [label=sep_conv_3x3 fillcolor=gray]
    \t"c_{k-2}" -> 2 [label=skip_connect fillcolor=gray]
    \t"c_{k-2}" -> 3 [label=skip_connect fillcolor=gray]
    \t0 -> 3 [label=dil_conv_3x3 fillcolor=gray]
    \t"c_{k}" [fillcolor=palegoldenrod]
    \t0 -> "c_{k}" [fillcolor=gray]
    \t1 -> "c_{k}" [fillcolor=gray]
    \t2 -> "c_{k}" [fillcolor=gray]
    \t3 -> "c_{k}" [fillcolor=gray]
    }

    """

  @Test func dartsV2DotHasEveryEdgeLabelledAndTheConcatEdges() {
    let untitled = CellDiagram(cell: Self.dartsV2.normal, title: "")
    #expect(untitled.dot == Self.dartsNormalDot)

    let reduce = CellDiagram(cell: Self.dartsV2.reduce, title: "reduction cell").dot
    #expect(reduce.hasPrefix("digraph {\n\tgraph [label=\"reduction cell\" labelloc=t"))
    #expect(reduce.contains("\trankdir=LR\n"))
    for (index, edge) in Self.dartsV2.reduce.edges.enumerated() {
      let from =
        ["\"c_{k-2}\"", "\"c_{k-1}\""].indices.contains(edge.input)
        ? ["\"c_{k-2}\"", "\"c_{k-1}\""][edge.input] : String(edge.input - 2)
      let line = "\t\(from) -> \(index / 2) [label=\(edge.op.name) fillcolor=gray]\n"
      #expect(reduce.contains(line), "missing \(line)")
    }
    for node in 0..<4 { #expect(reduce.contains("\t\(node) -> \"c_{k}\" [fillcolor=gray]\n")) }
    #expect(reduce.components(separatedBy: " -> ").count - 1 == 12)
  }

  @Test func theConcatEdgesFollowTheGenotype() {
    var cell = Self.dartsV2.normal
    cell.concat = [4, 5, 1, 5]
    let dot = CellDiagram(cell: cell, title: "").dot
    #expect(dot.contains("\t2 -> \"c_{k}\" [fillcolor=gray]\n\t3 -> \"c_{k}\" [fillcolor=gray]\n"))
    #expect(dot.contains("\t\"c_{k-1}\" -> \"c_{k}\" [fillcolor=gray]\n}"))
    #expect(!dot.contains("\t0 -> \"c_{k}\""))
    #expect(dot.components(separatedBy: "-> \"c_{k}\"").count - 1 == 3)
  }

  @Test func titlesAreQuotedAndEscaped() {
    let dot = CellDiagram(cell: Self.dartsV2.normal, title: "run \"a\\b\"\nnormal").dot
    #expect(dot.contains("\tgraph [label=\"run \\\"a\\\\b\\\"\\nnormal\" labelloc=t"))
    #expect(CellDiagram(cell: Self.dartsV2.normal, title: "graph").dot.contains("[label=\"graph\" "))
    #expect(CellDiagram(cell: Self.dartsV2.normal, title: "normal").dot.contains("[label=normal "))
  }

  @Test func aTwoHeadGenotypeGivesOneDiagramPerCell() {
    let genotype = Genotype(
      normal: Self.everyPrimitive(shift: 0), reduce: Self.everyPrimitive(shift: 1),
      instance: Self.everyPrimitive(shift: 2), class: Self.everyPrimitive(shift: 3))
    let diagrams = CellDiagram.diagrams(for: genotype)
    #expect(diagrams.map(\.component) == [.normal, .reduce, .instance, .class])
    #expect(diagrams.map(\.diagram.title) == ArchitectureComponent.allCases.map(\.title))
    for (component, diagram) in diagrams {
      #expect(diagram.cell == genotype[component])
      for op in Primitive.allCases { #expect(diagram.dot.contains("[label=\(op.name) ")) }
    }
    #expect(CellDiagram.diagrams(for: Self.dartsV2).count == 2)
  }

  @Test func anInvalidCellStillGivesDot() {
    let cell = CellGenotype(edges: [GenotypeEdge(op: .none, input: -1)], concat: [7])
    let dot = CellDiagram(cell: cell, title: "x").dot
    #expect(dot.contains("\t\"?\" -> 0 [label=none fillcolor=gray]"))
    #expect(dot.contains("\t5 -> \"c_{k}\""))
  }

  @Test func aMissingGraphvizSaysToInstallIt() {
    var graphviz = Graphviz(environment: ["PATH": "/nonexistent"])
    graphviz.executable = nil
    #expect(!graphviz.isAvailable)
    #expect(graphviz.searched.first == "/nonexistent")
    do {
      _ = try CellDiagram(cell: Self.dartsV2.normal, title: "normal").svg(using: graphviz)
      Issue.record("rendering without dot succeeded")
    } catch let error as GraphvizError {
      guard case .notInstalled = error else {
        Issue.record("unexpected \(error)")
        return
      }
      #expect(error.description.contains("graphviz"))
      #expect(error.description.contains("apt-get install graphviz"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/false")))
  func aFailingDotIsReported() {
    let graphviz = Graphviz(executable: "/bin/false")
    #expect(throws: GraphvizError.failed(status: 1, message: "")) {
      try graphviz.render("digraph {}", format: "svg")
    }
  }

  /// The text of every `<text>` element of `data`, or nil when it is not well-formed XML with an `svg` root.
  static func svgTexts(_ data: Data) -> [String]? {
    final class Delegate: NSObject, XMLParserDelegate {
      var root: String?
      var texts: [String] = []
      var current: String?
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        if root == nil { root = name }
        if name == "text" { current = "" }
      }
      func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }
      func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        if name == "text" { current = nil }
      }
    }
    let parser = XMLParser(data: data)
    let delegate = Delegate()
    parser.delegate = delegate
    guard parser.parse(), delegate.root == "svg" else { return nil }
    return delegate.texts
  }

  @Test(.enabled(if: Graphviz().isAvailable, "needs Graphviz's dot (Debian: graphviz)"))
  func graphvizRendersEachCellAsSVG() throws {
    let genotype = Genotype(
      normal: Self.dartsV2.normal, reduce: Self.dartsV2.reduce, instance: Self.everyPrimitive(shift: 0),
      class: Self.everyPrimitive(shift: 5))
    for (component, diagram) in CellDiagram.diagrams(for: genotype) {
      let svg = try diagram.svg()
      let texts = try #require(Self.svgTexts(Data(svg.utf8)), "\(component): not an SVG document")
      let cell = diagram.cell
      #expect(Set(cell.edges.map(\.op.name)).isSubset(of: texts), "\(component): \(texts)")
      #expect(texts.filter { Primitive(name: $0) != nil }.count == cell.edges.count)
      for name in ["c_{k-2}", "c_{k-1}", "c_{k}", "0", "1", "2", "3", component.title] {
        #expect(texts.contains(name), "\(component): no \(name) in \(texts)")
      }
    }
  }
}
