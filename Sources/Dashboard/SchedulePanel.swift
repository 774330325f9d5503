import Presentation
import RunEvents

/// Panel 4: the weight lr, the architecture lrs (backbone, instance, class) and mu: the planned curve dim
/// (from `Schedules.plan`, recomputed after every edit; each epoch's value held over the epoch) and the
/// executed values bold, edits marked `E`, every x placed by `EpochAxis` as in the loss panel.
enum SchedulePanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let inner = PanelFrame.draw(
      .schedules, in: rect,
      titles: ["schedules (planned dim, executed solid)", "schedules: planned dim, done solid", "schedules"],
      focused: focused, ascii: model.options.ascii, on: &buffer)
    let charts = charts(model)
    guard !charts.isEmpty else {
      buffer.put("waiting for the run to start", x: inner.x + 1, y: inner.y + 1, style: .muted)
      return
    }
    drawCharts(charts, model: model, in: inner, on: &buffer)
  }

  /// The stacked charts the panel draws, top to bottom; none before the run has started.
  static func charts(_ model: DashboardModel) -> [LineChart] {
    let data = model.shown
    guard let run = data.started, let schedules = data.schedules else { return [] }
    let plan = schedules.plan(epochs: run.epochs)
    // The value planned for epoch e holds from its start to its end.
    let planXs = plan.indices.flatMap { [EpochAxis.beforeEpoch($0), EpochAxis.afterEpoch($0)] }
    func held(_ values: [Double]) -> [Double] { values.flatMap { [$0, $0] } }
    let points = data.history.points
    let axis = EpochAxis(stepsPerEpoch: run.stepsPerEpoch)
    let xs = points.map { axis.afterStep($0.globalStep) }
    let markers: [(x: Double, label: Character)] = data.edits.map { (axis.beforeStep($0.globalStep), "E") }
    let twoHeads = run.components.contains(.instance) || run.components.contains(.class)
    var charts: [LineChart] = []
    func chart(_ parts: [(name: String, role: ColorRole, glyph: Character, planned: [Double], executed: [Double])])
      -> LineChart
    {
      var c = LineChart()
      c.ascii = model.options.ascii
      c.colorless = model.options.colorless
      c.xRange = 0...Double(max(run.epochs, 1))
      c.markers = markers
      for part in parts {
        c.series.append(
          ChartSeries(
            name: part.name, xs: planXs, ys: held(part.planned), style: CellStyle(part.role, .dim), asciiGlyph: ".",
            inLegend: false))
      }
      for part in parts {
        c.series.append(
          ChartSeries(
            name: part.name, xs: xs, ys: part.executed, style: CellStyle(part.role, .bold), asciiGlyph: part.glyph))
      }
      return c
    }
    charts.append(
      chart([("weight lr", .train, "w", plan.map(\.weightLearningRate), points.map(\.weightLearningRate))]))
    if run.isTraining {
      // A training run: drop path, and mu for the bbn recipe.
      charts.append(chart([("drop path", .accent, "d", plan.map { $0.dropPath ?? .nan }, points.map(\.dropPath))]))
      if run.recipe == "bbn" { charts.append(chart([("mu", .validation, "u", plan.map(\.mu), points.map(\.mu))])) }
      return charts
    }
    var arch: [(name: String, role: ColorRole, glyph: Character, planned: [Double], executed: [Double])] = []
    if run.components.contains(.normal) || run.components.contains(.reduce) {
      arch.append(
        (
          "arch lr backbone", .overall, "b", plan.map { $0.architectureLearningRates[.normal] ?? .nan },
          points.map(\.backboneLearningRate)
        ))
    }
    if run.components.contains(.instance) {
      arch.append(
        (
          "instance", .instance, "i", plan.map { $0.architectureLearningRates[.instance] ?? .nan },
          points.map(\.instanceLearningRate)
        ))
    }
    if run.components.contains(.class) {
      arch.append(
        (
          "class", .classHead, "c", plan.map { $0.architectureLearningRates[.class] ?? .nan },
          points.map(\.classLearningRate)
        ))
    }
    if !arch.isEmpty { charts.append(chart(arch)) }
    if twoHeads { charts.append(chart([("mu", .validation, "u", plan.map(\.mu), points.map(\.mu))])) }
    return charts
  }

  /// The charts stacked in `inner`, x labels under the last, the scrubbed epoch marked.
  static func drawCharts(_ charts: [LineChart], model: DashboardModel, in inner: Rect, on buffer: inout ScreenBuffer) {
    let rows = inner.rows(charts.count)
    for (i, var c) in charts.enumerated() {
      c.showsXLabels = i == charts.count - 1
      if let report = model.selectedReport, model.selectedEpochIndex != nil {
        c.cursor = EpochAxis.afterEpoch(report.epoch)
      }
      c.draw(in: rows[i], on: &buffer)
    }
  }
}
