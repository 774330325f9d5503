import Presentation
import RunEvents

/// Panel 2: test accuracy per epoch, overall and per shot group (many, medium, few), in percent, on an axis
/// of whole epochs from 0 (each epoch's point at its end, as `EpochAxis` places it).
enum AccuracyPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let inner = PanelFrame.draw(
      .accuracy, in: rect, titles: titles(model), focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let chart = chart(model) else {
      buffer.put("no epoch has finished yet", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    chart.draw(in: inner, on: &buffer)
  }

  /// The panel's title, longest first: the best test accuracy and its epoch, in shorter words for narrower
  /// panels.
  static func titles(_ model: DashboardModel) -> [String] {
    guard let best = model.shown.epochs.max(by: { $0.test.accuracy < $1.test.accuracy }) else {
      return ["test accuracy %", "test acc %"]
    }
    let accuracy = Format.percent(best.test.accuracy)
    let epoch = best.epoch + 1
    return [
      "test accuracy % best \(accuracy) (epoch \(epoch))", "test acc % best \(accuracy) (epoch \(epoch))",
      "test acc % best \(accuracy) (ep \(epoch))", "test acc % best \(accuracy)", "test acc %",
    ]
  }

  /// The chart the panel draws; nil before the first epoch has finished.
  static func chart(_ model: DashboardModel) -> LineChart? {
    let data = model.shown
    var reports = data.epochs
    if model.mode == .replay, let index = model.epochIndex { reports = Array(reports.prefix(index + 1)) }
    guard let last = reports.last else { return nil }
    var chart = LineChart()
    chart.ascii = model.options.ascii
    chart.colorless = model.options.colorless
    chart.integerXTicks = true
    // From epoch 0 to the last epoch shown (all planned epochs in a replay, so scrubbing keeps the axis).
    let end = model.mode == .replay ? max(data.started?.epochs ?? 1, 1) : last.epoch + 1
    chart.xRange = 0...EpochAxis.afterEpoch(max(end - 1, 0))
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
    return chart
  }
}
