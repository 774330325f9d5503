import Architecture
import Dashboard
import Foundation
import Reports
import RunEvents
import RunStore
import SyntheticRuns
import Testing

/// Every place that shows a primitive or an edge speaks the one vocabulary of `Architecture`: a genotype that
/// uses all eight primitives is written by the export, read back by the parser, and drawn by the dashboard and
/// the figures with the same names, labels, letters and edge names.
@Suite struct VocabularyTests {
  /// A cell that uses every primitive, two edges per node.
  static func cell(shift: Int) -> CellGenotype {
    let ops = Primitive.allCases
    return CellGenotype(
      edges: (0..<8).map { GenotypeEdge(op: ops[($0 + shift) % ops.count], input: $0 % (2 + $0 / 2)) },
      concat: CellTopology.darts.defaultConcat)
  }

  static var events: [RunEvent] {
    var run = SyntheticRun()
    run.finishedEpochs = 1
    run.ends = true
    var report = run.epochReport(0)
    for (index, component) in ArchitectureComponent.allCases.enumerated() {
      report.genotypes[component] = cell(shift: index)
    }
    return run.events().map { if case .epoch = $0 { .epoch(report) } else { $0 } }
  }

  @Test func theExportedGenotypeReadsBackIdentically() throws {
    let summary = RunSummary(id: "vocabulary-hls", events: Self.events)
    let python = try RunExport(run: summary).genotypePython(name: "ALL_EIGHT")
    let parsed = try GenotypeParser.genotype(named: "ALL_EIGHT", inFile: python, source: "genotype.py")
    #expect(parsed == Genotype(cells: summary.finalEpoch!.genotypes))
    #expect(Set(parsed.cells.flatMap { $0.cell.edges.map(\.op) }) == Set(Primitive.allCases))
  }

  @Test func theDashboardDrawsEveryPrimitiveByItsLabelAndTheGenotypeByItsText() {
    var model = DashboardModel(mode: .replay, size: TerminalSize(width: 160, height: 50))
    model.apply(Self.events)
    _ = model.update(.character("5"))
    let genotypes = DashboardRenderer.render(model, size: model.size).plainText
    let flat = genotypes.split(whereSeparator: { $0 == "\n" || $0 == "│" }).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.joined(separator: " ")
    for component in ArchitectureComponent.allCases {
      #expect(flat.contains(model.data.finalEpoch!.genotypes[component]!.pythonList.prefix(60)))
    }
    _ = model.update(.character("3"))
    let heatmaps = DashboardRenderer.render(model, size: model.size)
    let labels = (0..<heatmaps.size.height).map { heatmaps.line($0) }.compactMap { line -> String? in
      let cells = line.drop { $0 == "│" || $0 == " " }
      return Primitive.allCases.map(\.label).first { cells.hasPrefix($0) }
    }
    #expect(Array(labels.prefix(8)) == Primitive.allCases.map(\.label), "rows in DARTS order, by their labels")
    #expect(heatmaps.contains(CellTopology.darts.edges[4].name))
    _ = model.update(.character("w"))
    #expect(DashboardRenderer.render(model, size: model.size).contains(Primitive.letterLegend))
  }

  @Test func theFiguresNameEveryPrimitiveAndEveryEdge() throws {
    let summary = RunSummary(id: "vocabulary-hls", events: Self.events)
    let figure = try #require(try RunExport(run: summary).figures().first { $0.fileName == "alphas-normal.svg" })
    let xml = figure.document.xml
    for primitive in Primitive.allCases { #expect(xml.contains(">\(primitive.name)<")) }
    for edge in CellTopology.darts.edges {
      #expect(xml.contains(edge.label.replacingOccurrences(of: ">", with: "&gt;")))
    }
  }
}
