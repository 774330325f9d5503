import Architecture
import Presentation
import RunEvents

/// Panel 5: the genotype of each component at the selected epoch, in DARTS Python form, with warnings.
enum GenotypePanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    var title = "genotype"
    if let report = model.selectedReport { title += " @ epoch \(report.epoch + 1)" }
    let inner = PanelFrame.draw(
      .genotype, in: rect, title: title, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let run = data.started, let report = model.selectedReport else {
      buffer.put("the genotype appears after the first epoch", x: inner.x + 1, y: inner.y, style: .muted)
      return
    }
    var lines: [(String, CellStyle)] = []
    for component in run.components {
      guard let genotype = report.genotypes[component] else { continue }
      let warnings = GenotypeWarnings.check(
        genotype: genotype, alphas: report.alphas[component], primitives: run.primitives)
      lines.append(("\(component.parameterName) (\(component.title))", CellStyle(.title, .bold)))
      for line in Format.wrap(genotype.pythonList, width: inner.width - 2) { lines.append(("  " + line, .text)) }
      for warning in warnings { lines.append(("  ! " + warning, CellStyle(.warning, .bold))) }
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
}
