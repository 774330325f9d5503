import Architecture
import Foundation
import Presentation
import Reports
import RunEvents
import RunStore

/// The paper's figures from a study's finished runs, as SVG files: Figure 2 (train and validation loss of
/// naive BBN + DARTS, every seed, plain DARTS in grey for reference), Figure 3 (the alpha heatmaps of one
/// run over epochs), Figure 4 (top-1 against the mixing ratio mu, mean ± std over seeds), Figure 5 (mu,
/// 1 - mu and the architecture learning rates against normalised epoch), the top-1 per method (mean ± std)
/// and the per-class top-1 against each class's training count. A figure whose runs the study lacks is left
/// out, with the reason in `skipped`.
public struct StudyFigures: Sendable {
  public var report: StudyReport
  /// The run Figures 3 and 5 show: the one given, else the first finished hls run, else bbn-darts, else any
  /// finished run (Figure 5 needs a two-head run: with a one-head one it shows the first finished two-head run).
  public var featured: StudyOutcome?

  public init(report: StudyReport, featured: StudyOutcome? = nil) {
    self.report = report
    let finished = report.rows.flatMap(\.finished)
    self.featured =
      featured ?? finished.first { $0.run.search.method.rawValue == "hls" }
      ?? finished.first { $0.run.search.method.rawValue == "bbn-darts" } ?? finished.first
  }

  static let palette = SVGChart.palette
  static let width = 900.0
  static let panelHeight = 280.0

  /// The figures as (file name, document), and the figures left out with the reason.
  public func figures() -> (figures: [(String, SVGDocument)], skipped: [String]) {
    var figures: [(String, SVGDocument)] = []
    var skipped: [String] = []
    func add(_ name: String, _ document: SVGDocument?, otherwise reason: String) {
      if let document { figures.append((name, document)) } else { skipped.append("\(name): \(reason)") }
    }
    add("fig2-naive-bbn-loss.svg", naiveLossFigure(), otherwise: "no finished bbn-darts search")
    if let featured, let search = featured.search, !search.epochs.isEmpty,
      let runFigures = try? RunExport(run: search).figures()
    {
      for figure in runFigures where figure.fileName.hasPrefix("alphas-") {
        figures.append(("fig3-" + figure.fileName, figure.document))
      }
    } else {
      skipped.append("fig3-alphas-*.svg: no finished search")
    }
    add("fig4-accuracy-vs-mu.svg", muFigure(), otherwise: "the grid does not vary mu (or no run finished)")
    add("fig5-schedules.svg", schedulesFigure(), otherwise: "no finished two-head (hls or bbn-darts) search")
    add("accuracy-per-method.svg", methodFigure(), otherwise: "no finished run")
    add("per-class-accuracy.svg", perClassFigure(), otherwise: "no finished run")
    return (figures, skipped)
  }

  /// Writes the figures into `directory` (created if missing); returns the files written.
  public func write(to directory: URL) throws -> (written: [URL], skipped: [String]) {
    try DurableFile.createDirectory(directory, what: "the figure directory")
    let (figures, skipped) = figures()
    var written: [URL] = []
    for (name, document) in figures {
      let url = directory.appendingPathComponent(name)
      try DurableFile.writeAtomically(Array(document.xml.utf8), to: url.path)
      written.append(url)
    }
    return (written, skipped)
  }

  /// Charts one above the other under a title.
  static func stacked(_ charts: [SVGChart], title: String, subtitle: String) -> SVGDocument {
    .stacked(charts, title: title, subtitle: subtitle, width: width, panelHeight: panelHeight, chartsTop: 56)
  }

  var settings: [String] { report.settings }

  func seedLabel(_ outcome: StudyOutcome) -> String { "seed \(outcome.run.search.data.seed)" }

  func naiveLossFigure() -> SVGDocument? {
    var charts: [SVGChart] = []
    for setting in settings {
      let rows = report.rows.filter { $0.settingText == setting }
      guard let naive = rows.first(where: { $0.method == "bbn-darts" }), !naive.finished.isEmpty else { continue }
      var chart = SVGChart(
        title: "bbn-darts" + (setting.isEmpty ? "" : " [\(setting)]"), xLabel: "epoch", yLabel: "loss")
      chart.integerXTicks = true
      for darts in rows.first(where: { $0.method == "darts" })?.finished ?? [] {
        let epochs = darts.search?.epochs ?? []
        chart.series.append(
          SVGChart.Series(
            label: "darts \(seedLabel(darts)) val",
            points: epochs.map { (Double($0.epoch + 1), $0.validation?.loss ?? .nan) },
            color: "#aaaaaa", width: 1, dash: "4 3"))
      }
      for (index, outcome) in naive.finished.enumerated() {
        let epochs = outcome.search?.epochs ?? []
        let color = Self.palette[index % Self.palette.count]
        chart.series.append(
          SVGChart.Series(
            label: "\(seedLabel(outcome)) train", points: epochs.map { (Double($0.epoch + 1), $0.train.loss) },
            color: color, width: 1.8))
        chart.series.append(
          SVGChart.Series(
            label: "\(seedLabel(outcome)) val",
            points: epochs.map { (Double($0.epoch + 1), $0.validation?.loss ?? .nan) }, color: color, width: 1.8,
            dash: "5 3"))
      }
      charts.append(chart)
    }
    guard !charts.isEmpty else { return nil }
    return Self.stacked(
      charts, title: "Figure 2: naive BBN + DARTS, search loss per epoch",
      subtitle: "train (solid) and validation (dashed) loss of every seed; plain darts' validation loss in grey")
  }

  func muFigure() -> SVGDocument? {
    guard report.settingLabels.contains("mu") else { return nil }
    var families: [String: [StudyReport.Row]] = [:]
    var order: [String] = []
    for row in report.rows where !row.top1.values.isEmpty && StudyClaim.twoHeadMethods.contains(row.method) {
      let key = ([row.method] + row.setting.filter { $0.label != "mu" }.map { "\($0.label)=\($0.value)" })
        .joined(separator: " ")
      if families[key] == nil { order.append(key) }
      families[key, default: []].append(row)
    }
    guard !order.isEmpty else { return nil }
    var chart = SVGChart(title: "top-1 against mu", xLabel: "mean mu over the search", yLabel: "top-1 (%)")
    chart.xRange = 0...1
    for (index, key) in order.enumerated() {
      let points = families[key]!.compactMap { row -> (x: Double, y: Double, error: Double)? in
        let mus = row.finished.compactMap(\.meanMu)
        guard !mus.isEmpty else { return nil }
        let sd = row.top1.standardDeviation
        // Each family a little to the side of the others, so that their error bars do not hide each other.
        let offset = (Double(index) - Double(order.count - 1) / 2) * 0.01
        return (mus.reduce(0, +) / Double(mus.count) + offset, row.top1.mean * 100, sd.isFinite ? sd * 100 : .nan)
      }.sorted { $0.x < $1.x }
      var series = SVGChart.Series(
        label: key, points: points.map { ($0.x, $0.y) }, color: Self.palette[index % Self.palette.count], width: 1.8)
      series.dots = true
      series.errors = points.map(\.error)
      chart.series.append(series)
    }
    return Self.stacked(
      [chart], title: "Figure 4: accuracy against the mixing ratio",
      subtitle: "\(report.trains ? "trained" : "search") top-1, mean ± std over seeds (bars); x: mu averaged over "
        + "the search's epochs (each method shifted by 0.01 so that the bars stay apart)")
  }

  func schedulesFigure() -> SVGDocument? {
    let twoHead = { (o: StudyOutcome) in ["hls", "bbn-darts"].contains(o.run.search.method.rawValue) }
    let chosen = featured.flatMap { twoHead($0) ? $0 : nil }
    guard let outcome = chosen ?? report.rows.flatMap(\.finished).first(where: twoHead),
      let search = outcome.search, !search.epochs.isEmpty
    else { return nil }
    let total = Double(search.plannedEpochs ?? search.epochs.count)
    func x(_ report: EpochReport) -> Double { Double(report.epoch) / total }
    var weights = SVGChart(title: "heads' weights", xLabel: "normalised epoch t/T", yLabel: "weight")
    weights.xRange = 0...1
    weights.series = [
      SVGChart.Series(
        label: "mu (instance head)", points: search.epochs.map { (x($0), $0.values.mu) }, color: Self.palette[0],
        width: 2),
      SVGChart.Series(
        label: "1 - mu (class head)", points: search.epochs.map { (x($0), 1 - $0.values.mu) }, color: Self.palette[1],
        width: 2),
    ]
    var rates = SVGChart(title: "architecture learning rates", xLabel: "normalised epoch t/T", yLabel: "learning rate")
    rates.xRange = 0...1
    for (index, component) in search.components.enumerated() {
      rates.series.append(
        SVGChart.Series(
          label: component.parameterName,
          points: search.epochs.map { (x($0), $0.values.architectureLearningRates[component] ?? .nan) },
          color: Self.palette[(index + 2) % Self.palette.count], width: max(4.5 - 1.2 * Double(index), 1.2)))
    }
    return Self.stacked(
      [weights, rates], title: "Figure 5: schedules against normalised epoch",
      subtitle: "\(outcome.run.id) (\(outcome.run.label)): the values each epoch used, at t = epoch / T (equal "
        + "rates overlap: wider lines are drawn first)")
  }

  func methodFigure() -> SVGDocument? {
    let rows = report.rows.filter { !$0.top1.values.isEmpty }
    guard !rows.isEmpty else { return nil }
    let left = 70.0
    let top = 70.0
    let plotHeight = 300.0
    let barWidth = 34.0
    let gap = 14.0
    let groupGap = 40.0
    let groups = settings.filter { setting in rows.contains { $0.settingText == setting } }
    let methods = rows.map(\.method).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    let groupWidth = Double(methods.count) * (barWidth + gap)
    let width = max(left + Double(groups.count) * (groupWidth + groupGap) + 40, 480)
    var document = SVGDocument(width: width, height: top + plotHeight + 80, title: "top-1 per method")
    document.append(.text("Top-1 per method", x: 16, y: 22, size: 15, weight: "bold"))
    document.append(
      .text(
        "\(report.trains ? "trained" : "search") top-1, mean over seeds; bars: ± one standard deviation", x: 16,
        y: 40, size: 11, fill: "#555555"))
    let values = rows.flatMap { row in
      [row.top1.mean, row.top1.mean + (row.top1.standardDeviation.isFinite ? row.top1.standardDeviation : 0)]
    }
    let upper = min(1, (values.max() ?? 1) * 1.05)
    let lows = rows.map { $0.top1.mean - ($0.top1.standardDeviation.isFinite ? $0.top1.standardDeviation : 0) }
    let lower = max(0, (lows.min() ?? 0) - 0.05)
    func py(_ v: Double) -> Double { top + plotHeight - (v - lower) / max(upper - lower, 1e-9) * plotHeight }
    for tick in 0...5 {
      let v = lower + Double(tick) / 5 * (upper - lower)
      document.append(.line(x1: left, y1: py(v), x2: width - 20, y2: py(v), stroke: "#e3e3e3"))
      document.append(.text(String(format: "%.1f", v * 100), x: left - 6, y: py(v) + 4, size: 10, anchor: "end"))
    }
    for (g, setting) in groups.enumerated() {
      let x0 = left + 10 + Double(g) * (groupWidth + groupGap)
      if !setting.isEmpty {
        document.append(.text(setting, x: x0, y: top - 12, size: 11, weight: "bold"))
      }
      for (m, method) in methods.enumerated() {
        guard let row = rows.first(where: { $0.settingText == setting && $0.method == method }) else { continue }
        let x = x0 + Double(m) * (barWidth + gap)
        let color = Self.palette[m % Self.palette.count]
        document.append(
          .group(
            [
              .title(
                "\(method) \(setting): \(String(format: "%.2f", row.top1.mean * 100))% over \(row.top1.count) seeds"),
              .rect(
                x: x, y: py(row.top1.mean), width: barWidth, height: py(lower) - py(row.top1.mean), fill: color,
                stroke: color),
            ], [("class", "bar")]))
        let sd = row.top1.standardDeviation
        if sd.isFinite, sd > 0 {
          let cx = x + barWidth / 2
          let low = py(max(row.top1.mean - sd, lower))
          let high = py(min(row.top1.mean + sd, upper))
          for (x1, y1, x2, y2) in [(cx, low, cx, high), (cx - 5, low, cx + 5, low), (cx - 5, high, cx + 5, high)] {
            document.append(.line(x1: x1, y1: y1, x2: x2, y2: y2, stroke: "#222222", width: 1.2))
          }
        }
        document.append(
          .text(method, x: x + barWidth / 2, y: top + plotHeight + 14, size: 10, anchor: "middle", rotation: 0))
      }
    }
    document.append(.text("top-1 (%)", x: 16, y: top + plotHeight / 2, size: 11, anchor: "middle", rotation: -90))
    return document
  }

  func perClassFigure() -> SVGDocument? {
    var charts: [SVGChart] = []
    for setting in settings {
      let rows = report.rows.filter { $0.settingText == setting && !$0.finished.isEmpty }
      guard !rows.isEmpty else { continue }
      var chart = SVGChart(
        title: "per-class top-1" + (setting.isEmpty ? "" : " [\(setting)]"), xLabel: "training images of the class",
        yLabel: "top-1 (%)")
      chart.yRange = 0...100
      for (index, row) in rows.enumerated() {
        let runs = row.finished.compactMap { outcome -> (counts: [Int], accuracy: [Double])? in
          let summary = outcome.training ?? outcome.search
          guard let counts = summary?.started?.classCounts, let final = summary?.finalEpoch,
            final.perClassAccuracy.count == counts.count
          else { return nil }
          return (counts, final.perClassAccuracy)
        }
        guard let counts = runs.first?.counts else { continue }
        let points = counts.indices.map { c -> (x: Double, y: Double, error: Double) in
          let sample = Sample(runs.map { $0.accuracy[c] })
          let sd = sample.standardDeviation
          return (Double(counts[c]), sample.mean * 100, sd.isFinite ? sd * 100 : .nan)
        }.sorted { $0.x < $1.x }
        var series = SVGChart.Series(
          label: row.method, points: points.map { ($0.x, $0.y) }, color: Self.palette[index % Self.palette.count],
          width: 1.5)
        series.dots = true
        series.errors = points.map(\.error)
        chart.series.append(series)
      }
      charts.append(chart)
    }
    guard !charts.isEmpty else { return nil }
    return Self.stacked(
      charts, title: "Per-class accuracy against the class's training count",
      subtitle: "\(report.trains ? "trained" : "search") top-1 of each class at the last epoch, mean ± std over seeds")
  }
}
