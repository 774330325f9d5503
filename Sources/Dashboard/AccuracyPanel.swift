import Presentation
import RunEvents

/// Panel 2: test accuracy per epoch, overall and per shot group (many, medium, few), in percent.
enum AccuracyPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    var title = "test accuracy %"
    if let best = data.epochs.max(by: { $0.test.accuracy < $1.test.accuracy }) {
      title += " best \(Format.percent(best.test.accuracy)) (epoch \(best.epoch + 1))"
    }
    let inner = PanelFrame.draw(
      .accuracy, in: rect, title: title, focused: focused, ascii: model.options.ascii, on: &buffer)
    var reports = data.epochs
    if model.mode == .replay, let index = model.epochIndex { reports = Array(reports.prefix(index + 1)) }
    var chart = LineChart()
    chart.ascii = model.options.ascii
    chart.colorless = model.options.colorless
    let xs = reports.map { EpochAxis.afterEpoch($0.epoch) }
    chart.series.append(
      ChartSeries(
        name: "overall", xs: xs, ys: reports.map { $0.test.accuracy * 100 }, style: CellStyle(.overall, .bold),
        asciiGlyph: "o"))
    for (group, role, glyph) in [
      ("many", ColorRole.many, Character("M")), ("medium", .medium, "m"), ("few", .few, "f"),
    ] {
      let ys = reports.map { ($0.groupAccuracy[group] ?? .nan) * 100 }
      if ys.contains(where: \.isFinite) {
        chart.series.append(ChartSeries(name: group, xs: xs, ys: ys, style: CellStyle(role), asciiGlyph: glyph))
      }
    }
    if model.selectedEpochIndex != nil, let report = model.selectedReport {
      chart.cursor = EpochAxis.afterEpoch(report.epoch)
    }
    if reports.isEmpty {
      buffer.put("no epoch has finished yet", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    chart.draw(in: inner, on: &buffer)
  }
}
