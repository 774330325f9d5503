import Presentation
import RunEvents

/// Panel 1: training and validation loss (and the two branch losses of two-head methods) per step, smoothed
/// with a de-biased EMA, with pauses shaded and schedule edits marked. The x axis counts epochs.
enum LossPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    let title = "loss" + (model.isLogScale ? " (log)" : "")
    let inner = PanelFrame.draw(
      .loss, in: rect, title: title, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let run = data.started else {
      buffer.put("waiting for the run to start", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    var chart = LineChart()
    chart.ascii = model.options.ascii
    chart.logarithmic = model.isLogScale
    chart.legendSuffix = "ema \(Format.number(model.smoothing))"
    let perEpoch = Double(max(run.stepsPerEpoch, 1))
    var points = data.history.points
    if model.mode == .replay, let report = model.selectedReport {
      let end = Double((report.epoch + 1) * run.stepsPerEpoch)
      points = points.filter { $0.globalStep < end }
      chart.xRange = 0...Double(max(run.epochs, 1))
    }
    let xs = points.map { ($0.globalStep + 1) / perEpoch }
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
          name: "test", xs: reports.map { Double($0.epoch + 1) }, ys: reports.map(\.test.loss),
          style: CellStyle(.overall, .bold), asciiGlyph: "o"))
    }
    chart.bands = data.pauses.map { pause in
      let end = pause.endStep ?? data.currentStep
      return Double(pause.startStep + 1) / perEpoch...Double(max(end, pause.startStep) + 1) / perEpoch
    }
    chart.markers = data.edits.map { (Double($0.globalStep + 1) / perEpoch, "E") }
    if model.selectedEpochIndex != nil, let report = model.selectedReport { chart.cursor = Double(report.epoch + 1) }
    chart.draw(in: inner, on: &buffer)
  }
}
