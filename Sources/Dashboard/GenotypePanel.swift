import Architecture
import Presentation
import RunEvents

/// Panel 5: the genotype of each component at the selected epoch, in DARTS Python form, with warnings; for a
/// training run the trained genotype, where it came from, the recipe and the parameter count.
enum GenotypePanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    var titles = [data.isTraining ? "trained genotype" : "genotype"]
    if !data.isTraining, let report = model.selectedReport {
      titles = ["genotype @ epoch \(report.epoch + 1)", "genotype @ \(report.epoch + 1)", "genotype"]
    }
    let inner = PanelFrame.draw(
      .genotype, in: rect, titles: titles, focused: focused, ascii: model.options.ascii, on: &buffer)
    var lines: [(String, CellStyle)] = []
    if let run = data.started, run.isTraining {
      lines = trainingLines(run, width: inner.width)
    } else if let run = data.started, let report = model.selectedReport {
      lines = searchLines(run, report, width: inner.width)
    } else {
      buffer.put("the genotype appears after the first epoch", x: inner.x + 1, y: inner.y, style: .muted)
      return
    }
    for (row, line) in lines.prefix(inner.height).enumerated() {
      buffer.put(
        Format.truncate(line.0, inner.width, ascii: model.options.ascii), x: inner.x, y: inner.y + row, style: line.1)
    }
    if lines.count > inner.height {
      let more = "+\(lines.count - inner.height + 1) lines, zoom (5)"
      buffer.fill(Rect(x: inner.x, y: inner.maxY - 1, width: inner.width, height: 1))
      buffer.putRight(more, right: inner.maxX, y: inner.maxY - 1, style: .muted)
    }
  }

  /// A training run: its source, recipe, size and the genotype's cells.
  static func trainingLines(_ run: RunStarted, width: Int) -> [(String, CellStyle)] {
    var lines: [(String, CellStyle)] = []
    let source = run.sourceRun.map { "from \($0)" + (run.sourceEpoch.map { ", epoch \($0 + 1)" } ?? "") }
    lines.append((source ?? "a genotype given by hand", CellStyle(.title, .bold)))
    var facts = ["recipe \(run.recipe ?? "plain")"]
    if let count = run.parameterCount {
      facts.append("\(Format.parameters(count)) parameters (auxiliary head not counted)")
    }
    for line in Format.wrap(facts.joined(separator: ", "), width: width) { lines.append((line, .text)) }
    guard let text = run.genotype, let genotype = try? GenotypeParser.parse(text) else { return lines }
    for (component, cell) in genotype.cells {
      lines.append(("\(Genotype.keyword(component)) (\(component.title))", CellStyle(.title, .bold)))
      for line in Format.wrap(cell.pythonList + " concat " + cell.pythonConcat, width: width - 2) {
        lines.append(("  " + line, .text))
      }
    }
    return lines
  }

  /// A search epoch: each component's derived cell with its warnings.
  static func searchLines(_ run: RunStarted, _ report: EpochReport, width: Int) -> [(String, CellStyle)] {
    var lines: [(String, CellStyle)] = []
    for component in run.components {
      guard let genotype = report.genotypes[component] else { continue }
      let warnings = GenotypeWarnings.check(
        genotype: genotype, alphas: report.alphas[component], primitives: run.primitives)
      lines.append(("\(component.parameterName) (\(component.title))", CellStyle(.title, .bold)))
      for line in Format.wrap(genotype.pythonList, width: width - 2) { lines.append(("  " + line, .text)) }
      for warning in warnings { lines.append(("  ! " + warning, CellStyle(.warning, .bold))) }
    }
    return lines
  }
}
