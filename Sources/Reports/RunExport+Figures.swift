import Architecture
import Foundation
import Presentation
import RunEvents
import RunStore

/// The run's figures as SVG documents: loss and accuracy curves, one alpha heatmap figure per searched
/// component (Figure 3 style: edges x ops for selected epochs, the genotype's choices outlined) and the
/// schedules (planned vs executed, schedule edits marked).
extension RunExport {
  /// A named figure.
  public struct Figure: Sendable {
    /// The file name, e.g. `alphas-normal.svg`.
    public var fileName: String
    public var document: SVGDocument
  }

  static let palette = SVGChart.palette
  static let panelWidth = 900.0
  static let panelHeight = 260.0
  /// The most epochs shown side by side in a heatmap figure.
  static let heatmapEpochs = 6

  /// Every chart (the cells are `writeCellFigures`, drawn by Graphviz): loss, accuracy, schedules, and for a
  /// search one alpha heatmap figure per component; throws `RunExportError.noEpochs` before the first epoch ends.
  public func figures() throws -> [Figure] {
    guard !run.epochs.isEmpty else { throw RunExportError.noEpochs(run: run.id) }
    var figures = [
      Figure(fileName: "loss.svg", document: lossFigure()),
      Figure(fileName: "accuracy.svg", document: accuracyFigure()),
      Figure(fileName: "schedules.svg", document: schedulesFigure()),
    ]
    for component in run.components where !isTraining {
      figures.append(Figure(fileName: "alphas-\(component.rawValue).svg", document: alphasFigure(component)))
    }
    return figures
  }

  /// The run's cells as Graphviz diagrams (as DARTS' `visualize.py` draws them), one per cell of `genotype()`:
  /// `cell-normal`, `cell-reduce`, and for two heads `cell-instance` and `cell-class` (without an extension).
  public func cellDiagrams() throws -> [(name: String, diagram: CellDiagram)] {
    CellDiagram.diagrams(for: try genotype()).map { ("cell-\($0.component.rawValue)", $0.diagram) }
  }

  /// Writes each cell's DOT text into `directory` (created if needed) as `cell-<component>.dot`; returns the
  /// files written.
  @discardableResult
  public func writeCellDOT(to directory: URL) throws -> [URL] {
    let files = try cellDiagrams().map { ("\($0.name).dot", $0.diagram.dot) }
    return try Self.write(files, to: directory)
  }

  /// Renders each cell with Graphviz into `directory` (created if needed) as `cell-<component>.svg`; returns
  /// the files written. Throws `GraphvizError.notInstalled` without `dot`, before writing anything.
  @discardableResult
  public func writeCellFigures(to directory: URL, graphviz: Graphviz = Graphviz()) throws -> [URL] {
    let diagrams = try cellDiagrams()
    guard graphviz.isAvailable else { throw GraphvizError.notInstalled(searched: graphviz.searched) }
    let files = try diagrams.map { ("\($0.name).svg", try $0.diagram.svg(using: graphviz)) }
    return try Self.write(files, to: directory)
  }

  /// Writes `files` (name, text) into `directory`, created if needed, each atomically.
  static func write(_ files: [(String, String)], to directory: URL) throws -> [URL] {
    try DurableFile.createDirectory(directory)
    return try files.map { name, text in
      let url = directory.appendingPathComponent(name)
      try DurableFile.writeAtomically(Array(text.utf8), to: url.path)
      return url
    }
  }

  /// Writes every figure into `directory` (created if needed) and returns the files written.
  @discardableResult
  public func writeFigures(to directory: URL) throws -> [URL] {
    try Self.write(try figures().map { ($0.fileName, $0.document.xml) }, to: directory)
  }

  private var subtitle: String {
    let what =
      isTraining
      ? "training (\(run.started?.recipe ?? "plain") recipe) of "
        + (run.started?.sourceRun.map { "\($0)'s genotype" } ?? "a genotype given by hand")
      : run.method
    return "\(run.id): \(what) on \(run.dataset)"
      + (run.imbalanceRatio.map { ", imbalance ratio \(Format.ratio($0))" } ?? "")
  }

  /// Where steps and epochs sit on the x axis, as in the dashboard's charts.
  private var axis: EpochAxis { EpochAxis(stepsPerEpoch: run.started?.stepsPerEpoch ?? 1) }

  /// The x position of a step's report: the end of the step.
  private func position(_ step: StepReport) -> Double {
    axis.afterStep(step.globalStep)
  }

  private func stackedCharts(_ charts: [SVGChart], title: String) -> SVGDocument {
    .stacked(
      charts, title: title, subtitle: subtitle, width: Self.panelWidth, panelHeight: Self.panelHeight, chartsTop: 50)
  }

  private func epochSeries(_ label: String, color: String, dash: String? = nil, _ value: (EpochReport) -> Double?)
    -> SVGChart.Series
  {
    let points = run.epochs.compactMap { e in value(e).map { (x: EpochAxis.afterEpoch(e.epoch), y: $0) } }
    var series = SVGChart.Series(label: label, points: points, color: color, width: 2, dash: dash)
    series.dots = points.count <= 60
    return series
  }

  func lossFigure() -> SVGDocument {
    var perStep = SVGChart(title: "loss per step", xLabel: "epoch", yLabel: "loss")
    let steps = run.steps
    perStep.series = [
      .init(label: "train", points: steps.map { (position($0), $0.trainLoss) }, color: Self.palette[0], width: 1)
    ]
    if steps.contains(where: { $0.validationLoss != nil }) {
      perStep.series.append(
        .init(
          label: "validation", points: steps.compactMap { s in s.validationLoss.map { (position(s), $0) } },
          color: Self.palette[1], width: 1))
    }
    if steps.contains(where: { $0.auxiliaryLoss != nil }) {
      perStep.series.append(
        .init(
          label: "auxiliary head", points: steps.compactMap { s in s.auxiliaryLoss.map { (position(s), $0) } },
          color: Self.palette[5], width: 1, opacity: 0.8))
    }
    if steps.contains(where: { $0.trainLossInstance != nil }) {
      perStep.series.append(
        .init(
          label: "train, instance branch",
          points: steps.compactMap { s in s.trainLossInstance.map { (position(s), $0) } },
          color: Self.palette[2], width: 1, opacity: 0.8))
      perStep.series.append(
        .init(
          label: "train, class branch", points: steps.compactMap { s in s.trainLossClass.map { (position(s), $0) } },
          color: Self.palette[4], width: 1, opacity: 0.8))
    }
    var perEpoch = SVGChart(title: "loss per epoch", xLabel: "epoch", yLabel: "loss")
    perEpoch.series = [
      epochSeries("train", color: Self.palette[0]) { $0.train.loss },
      epochSeries("validation", color: Self.palette[1]) { $0.validation?.loss },
      epochSeries("test", color: Self.palette[3]) { $0.test.loss },
    ]
    let xs = 0...Double(max(run.plannedEpochs ?? 0, run.epochs.last.map { $0.epoch + 1 } ?? 1))
    perStep.xRange = xs
    perEpoch.xRange = xs
    perEpoch.integerXTicks = true
    return stackedCharts(steps.isEmpty ? [perEpoch] : [perStep, perEpoch], title: "Loss")
  }

  func accuracyFigure() -> SVGDocument {
    var overall = SVGChart(title: "top-1 accuracy", xLabel: "epoch", yLabel: "accuracy")
    overall.series = [
      epochSeries("train", color: Self.palette[0]) { $0.train.accuracy },
      epochSeries("validation", color: Self.palette[1]) { $0.validation?.accuracy },
      epochSeries("test", color: Self.palette[3]) { $0.test.accuracy },
    ]
    var groups = SVGChart(title: "test accuracy by shot group", xLabel: "epoch", yLabel: "accuracy")
    groups.series = [epochSeries("overall", color: "#333333", dash: "5 3") { $0.test.accuracy }]
    for (index, group) in ComparisonReport.groups.enumerated() {
      groups.series.append(
        epochSeries("\(group)-shot", color: Self.palette[[2, 4, 5][index]]) { $0.groupAccuracy[group] })
    }
    let xs = 0...Double(max(run.plannedEpochs ?? 0, run.epochs.last.map { $0.epoch + 1 } ?? 1))
    overall.xRange = xs
    groups.xRange = xs
    overall.integerXTicks = true
    groups.integerXTicks = true
    overall.yRange = 0...1
    groups.yRange = 0...1
    return stackedCharts([overall, groups], title: "Accuracy")
  }

  func schedulesFigure() -> SVGDocument {
    let epochs = max(run.plannedEpochs ?? 0, run.epochs.last.map { $0.epoch + 1 } ?? 1)
    let plan = run.plannedSchedules?.plan(epochs: epochs) ?? []
    let xs = 0...Double(epochs)
    // Executed values: from the steps where there are some (edits mid-epoch show), else from the epochs. A
    // stepped line holds each value from the boundary before the first step that ran with it, where the
    // edit that set it is marked.
    var executed: [(x: Double, values: ScheduleValues)] = run.steps.map {
      (axis.beforeStep($0.globalStep), $0.values)
    }
    if executed.isEmpty { executed = run.epochs.map { (EpochAxis.beforeEpoch($0.epoch), $0.values) } }
    executed = executed.enumerated().filter { index, point in
      index == 0 || point.values != executed[index - 1].values
    }.map(\.element)
    let holdUntil = Double(run.epochs.last.map { $0.epoch + 1 } ?? 0)

    func chart(_ title: String, _ label: String) -> SVGChart {
      var chart = SVGChart(title: title, xLabel: "epoch", yLabel: label)
      chart.xRange = xs
      chart.integerXTicks = true
      return chart
    }
    func planned(_ label: String, color: String, _ value: (ScheduleValues) -> Double?) -> SVGChart.Series {
      let points = plan.enumerated().compactMap { e, v in value(v).map { (x: EpochAxis.beforeEpoch(e), y: $0) } }
      return .init(
        label: "\(label), planned", points: points, color: color, width: 1.5, dash: "6 4", opacity: 0.5, stepped: true,
        holdUntil: Double(epochs))
    }
    func done(_ label: String, color: String, wide: Bool = false, _ value: (ScheduleValues) -> Double?)
      -> SVGChart.Series
    {
      let points = executed.compactMap { p in value(p.values).map { (x: p.x, y: $0) } }
      // A wide, light line stays visible under another series that takes the same values.
      return .init(
        label: "\(label), executed", points: points, color: color, width: wide ? 5 : 2.2, opacity: wide ? 0.45 : 1,
        stepped: true, holdUntil: holdUntil)
    }
    var weight = chart("weight learning rate", "lr")
    weight.series = [
      planned("weight lr", color: Self.palette[0]) { $0.weightLearningRate },
      done("weight lr", color: Self.palette[0]) { $0.weightLearningRate },
    ]
    var mu = chart("mu (instance-branch weight)", "mu")
    mu.yRange = 0...1
    mu.series = [planned("mu", color: Self.palette[3]) { $0.mu }, done("mu", color: Self.palette[3]) { $0.mu }]
    var dropPath = chart("drop-path probability", "p")
    dropPath.series = [
      planned("drop path", color: Self.palette[5]) { $0.dropPath },
      done("drop path", color: Self.palette[5]) { $0.dropPath },
    ]
    var architecture = chart("architecture learning rates (HLS)", "lr")
    var components = run.components
    let backboneShared =
      plan.allSatisfy { $0.architectureLearningRates[.normal] == $0.architectureLearningRates[.reduce] }
      && executed.allSatisfy {
        $0.values.architectureLearningRates[.normal] == $0.values.architectureLearningRates[.reduce]
      }
    if backboneShared && components.contains(.normal) { components.removeAll { $0 == .reduce } }
    for (index, component) in components.enumerated() {
      let label = backboneShared && component == .normal ? "backbone" : component.rawValue
      let color = Self.palette[[0, 2, 1, 4][index % 4]]
      architecture.series.append(planned(label, color: color) { $0.architectureLearningRates[component] })
      architecture.series.append(
        done(label, color: color, wide: index == 0 && components.count > 1) { $0.architectureLearningRates[component] })
    }
    for marker in run.edits {
      let edit = marker.edit
      let marker = SVGChart.Marker(
        x: axis.beforeStep(marker.globalStep),
        label: "epoch \(marker.epoch + 1): \(edit.target.title) set to \(edit.curve.summary)"
          + (marker.previous.map { " (was \($0.summary))" } ?? ""))
      switch edit.target {
      case .weightLearningRate: weight.markers.append(marker)
      case .mu: mu.markers.append(marker)
      case .dropPath: dropPath.markers.append(marker)
      case .architectureMultiplier: architecture.markers.append(marker)
      }
    }
    // A search: weight lr, mu, the architecture rates. A training: weight lr, drop path, and mu for two heads.
    let charts =
      isTraining
      ? [weight, dropPath] + (run.started?.recipe == "bbn" ? [mu] : [])
      : [weight, mu, architecture]
    return stackedCharts(charts, title: "Schedules: planned (dashed) vs executed")
  }

  /// The epochs shown in a heatmap figure: all if few, else evenly spaced including the first and last.
  public func heatmapEpochs(_ component: ArchitectureComponent) -> [EpochReport] {
    let reports = run.epochs.filter { $0.alphas[component] != nil }
    guard reports.count > Self.heatmapEpochs else { return reports }
    let picks = (0..<Self.heatmapEpochs).map {
      Int((Double($0) * Double(reports.count - 1) / Double(Self.heatmapEpochs - 1)).rounded())
    }
    return Array(Set(picks)).sorted().map { reports[$0] }
  }

  func alphasFigure(_ component: ArchitectureComponent) -> SVGDocument {
    let reports = heatmapEpochs(component)
    let primitives = run.started?.primitives ?? []
    let edgeCount = reports.map { $0.alphas[component]?.count ?? 0 }.max() ?? 0
    let opCount = max(primitives.count, reports.map { $0.alphas[component]?.first?.count ?? 0 }.max() ?? 0)
    let topology = CellTopology(edgeCount: edgeCount)
    // One colour scale for the epochs side by side, spanning the weights shown (see `WeightScale`), so
    // near-uniform alphas still show their differences; the colour bar gives the range.
    let shown: [Double] = reports.flatMap { report in report.alphas[component]?.flatMap { $0 } ?? [] }
    let scale = WeightScale(fitting: shown) ?? WeightScale(lower: 0, upper: 1)
    let opNames = (0..<opCount).map { $0 < primitives.count ? primitives[$0].name : "op \($0)" }
    let edgeLabels = (0..<edgeCount).map { row in topology.map { $0.edges[row].label } ?? "edge \(row)" }

    let left = 80.0
    let gridTop = 150.0
    let gap = 22.0
    var sample = SVGHeatmap(
      values: Array(repeating: Array(repeating: 0, count: opCount), count: edgeCount), scale: scale)
    sample.cellWidth = 18
    let panelWidth = sample.width
    // Room on the right for the colour bar, its labels and the range written above it.
    let width = max(left + Double(reports.count) * (panelWidth + gap) + 130, 620)
    let height = gridTop + sample.height + 60
    let title = "\(component.parameterName): \(component.title)"
    var document = SVGDocument(width: width, height: height, title: title)
    document.append(.text(title, x: 16, y: 22, size: 15, weight: "bold"))
    document.append(.text(subtitle, x: 16, y: 40, size: 11, fill: "#555555"))
    document.append(
      .text(
        "softmax weight of each op (columns) on each edge (rows, input -> node; 0 and 1 are the cell inputs)",
        x: 16, y: 56, size: 11, fill: "#555555"))
    document.append(.text("red outline: the ops the genotype keeps", x: 16, y: 70, size: 11, fill: "#555555"))

    for (index, report) in reports.enumerated() {
      let x = left + Double(index) * (panelWidth + gap)
      var heatmap = SVGHeatmap(values: report.alphas[component] ?? [], scale: scale)
      if let topology, let genotype = report.genotypes[component] {
        heatmap.outlined = Set(
          genotype.keptRows(in: topology).compactMap { kept in
            primitives.firstIndex(of: kept.op).map { SVGHeatmap.Cell(row: kept.row, column: $0) }
          })
      }
      let epoch = report.epoch + 1
      heatmap.tooltip = { row, column, value in
        "epoch \(epoch), edge \(edgeLabels[row]), \(opNames[column]): \(String(format: "%.4f", value))"
      }
      document.append(
        .group(heatmap.elements(x: x, y: gridTop), [("id", "alphas-epoch-\(epoch)"), ("class", "heatmap")]))
      for column in 0..<opCount {
        let cx = x + (Double(column) + 0.5) * heatmap.cellWidth + 3
        document.append(.text(opNames[column], x: cx, y: gridTop - 5, size: 9.5, rotation: -60))
      }
      document.append(
        .text(
          "epoch \(epoch)", x: x + panelWidth / 2, y: gridTop + heatmap.height + 18, size: 12, anchor: "middle",
          weight: "bold"))
    }
    for row in 0..<edgeCount {
      document.append(
        .text(
          edgeLabels[row], x: left - 6, y: gridTop + (Double(row) + 0.75) * sample.cellHeight, size: 10,
          anchor: "end"))
    }
    let barX = left + Double(reports.count) * (panelWidth + gap) + 8
    document.append(
      contentsOf: sample.colorBar(
        x: barX, y: gridTop, height: sample.height, label: "weight",
        uniform: opCount > 0 ? 1 / Double(opCount) : nil))
    return document
  }
}
