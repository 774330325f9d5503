import Presentation
import RunEvents

/// Panel 1: training and validation loss (and the two branch losses of two-head methods) per step, smoothed
/// with a de-biased EMA, with pauses shaded and schedule edits marked. The x axis counts epochs; steps,
/// pauses and edits sit where `EpochAxis` puts them, as in the schedules panel and the SVG figures.
enum LossPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let title = "loss" + (model.isLogScale ? " (log)" : "")
    let inner = PanelFrame.draw(
      .loss, in: rect, title: title, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let chart = chart(model) else {
      buffer.put("waiting for the run to start", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    chart.draw(in: inner, on: &buffer)
  }

  /// The chart the panel draws; nil before the run has started.
  static func chart(_ model: DashboardModel) -> LineChart? {
    let data = model.shown
    guard let run = data.started else { return nil }
    var chart = LineChart()
    chart.ascii = model.options.ascii
    chart.colorless = model.options.colorless
    chart.logarithmic = model.isLogScale
    chart.legendSuffix = "ema \(Format.number(model.smoothing))"
    let axis = EpochAxis(stepsPerEpoch: run.stepsPerEpoch)
    var points = data.history.points
    if model.mode == .replay, let report = model.selectedReport {
      let end = Double((report.epoch + 1) * run.stepsPerEpoch)
      points = points.filter { $0.globalStep < end }
      chart.xRange = 0...Double(max(run.epochs, 1))
    }
    let xs = points.map { axis.afterStep($0.globalStep) }
    if chart.xRange == nil, let last = xs.last { chart.xRange = 0...max(last, 1) }
    func series(_ name: String, _ field: KeyPath<StepSample, Double>, _ role: ColorRole, _ glyph: Character)
      -> ChartSeries
    {
      let ys = ChartMath.debiasedEMA(points.map { $0[keyPath: field] }, weight: model.smoothing)
      return ChartSeries(name: name, xs: xs, ys: ys, style: CellStyle(role), asciiGlyph: glyph)
    }
    if points.contains(where: { $0.trainLossInstance.isFinite }) {
      chart.series.append(series("inst", \.trainLossInstance, .instance, "i"))
      chart.series.append(series("class", \.trainLossClass, .classHead, "c"))
    }
    chart.series.append(series("train", \.trainLoss, .train, "*"))
    if points.contains(where: { $0.validationLoss.isFinite }) {
      chart.series.append(series("val", \.validationLoss, .validation, "+"))
    }
    if points.contains(where: { $0.auxiliaryLoss.isFinite }) {
      chart.series.append(series("aux", \.auxiliaryLoss, .accent, "a"))
    }
    if data.isTraining {
      // A training run has no validation split: its test loss after each epoch.
      var reports = data.epochs
      if model.mode == .replay, let report = model.selectedReport {
        reports = reports.filter { $0.epoch <= report.epoch }
      }
      chart.series.append(
        ChartSeries(
          name: "test", xs: reports.map { EpochAxis.afterEpoch($0.epoch) }, ys: reports.map(\.test.loss),
          style: CellStyle(.overall, .bold), asciiGlyph: "o"))
    }
    chart.bands = data.pauses.map { pause in
      let end = pause.endStep ?? data.currentStep
      return axis.beforeStep(pause.startStep)...axis.beforeStep(max(end, pause.startStep))
    }
    chart.markers = data.edits.map { (axis.beforeStep($0.globalStep), "E") }
    if model.selectedEpochIndex != nil, let report = model.selectedReport {
      chart.cursor = EpochAxis.afterEpoch(report.epoch)
    }
    return chart
  }
}
