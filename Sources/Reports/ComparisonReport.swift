import Architecture
import Foundation
import Presentation
import RunEvents
import RunStore

/// The comparison table of the paper: one row per run with the overall, many, medium and few-shot test
/// accuracy of its best epoch (the epoch with the best overall test accuracy) and that epoch's genotypes.
/// Rows of searches whose genotype was trained (`tailnas train`) show the search and the training side by side
/// (see `ComparisonReport+Training.swift`).
public struct ComparisonReport: Sendable {
  /// One run's row.
  public struct Row: Sendable, Equatable {
    public var run: String
    public var method: String
    public var dataset: String
    public var imbalanceRatio: Double?
    /// The best epoch's report, nil if the run has no epochs yet.
    public var best: EpochReport?
    /// The components searched, in order.
    public var components: [ArchitectureComponent]
    /// The search's epochs done and their seconds summed (nil without a search, e.g. a genotype by hand).
    public var searchEpochs: Int? = nil
    public var searchSeconds: Double? = nil
    /// The training of the search's genotype shown beside it, if any.
    public var training: Training? = nil

    /// The best epoch counted from 1, as the console and dashboard count.
    public var bestEpochNumber: Int? { best.map { $0.epoch + 1 } }

    /// The test accuracy of a shot group (`many`, `medium`, `few`) at the best epoch.
    public func groupAccuracy(_ group: String) -> Double? { best?.groupAccuracy[group] }
  }

  /// The shot groups, in column order.
  public static let groups = ["many", "medium", "few"]

  public var rows: [Row]

  /// A report over `runs`, in the given order.
  public init(runs: [RunSummary]) {
    rows = runs.map { run in
      Row(
        run: run.id, method: run.method, dataset: run.dataset, imbalanceRatio: run.imbalanceRatio,
        best: run.bestEpoch, components: run.components)
    }
  }

  /// Runs that have no epoch yet (their rows show `-`).
  public var runsWithoutEpochs: [String] { rows.filter { $0.best == nil }.map(\.run) }

  /// Whether any row has a training beside its search (the side-by-side table).
  public var hasTraining: Bool { rows.contains { $0.training != nil } }

  /// The report in `format`.
  public func rendered(as format: ReportFormat) -> String {
    switch (format, hasTraining) {
    case (.text, false): text
    case (.markdown, false): markdown
    case (.csv, false): csv
    case (.text, true): sideBySideText
    case (.markdown, true): sideBySideMarkdown
    case (.csv, true): sideBySideCSV
    }
  }

  private static let header = ["run", "method", "dataset", "ratio", "overall", "many", "medium", "few", "best epoch"]

  private func cells(_ row: Row) -> [String] {
    let accuracies = [row.best?.test.accuracy] + Self.groups.map { row.groupAccuracy($0) }
    return [row.run, row.method, row.dataset, row.imbalanceRatio.map(Format.ratio) ?? "-"]
      + accuracies.map { $0.map({ Format.percent($0, digits: 2) }) ?? "-" } + [
        row.bestEpochNumber.map(String.init) ?? "-"
      ]
  }

  var text: String {
    var out = TextTable(header: Self.header, rows: rows.map(cells), rightAligned: Set(3...8)).text
    out += "\ngenotypes at the best epoch:\n"
    for row in rows {
      guard let best = row.best else {
        out += "\(row.run) (\(row.method)): no epochs yet\n"
        continue
      }
      out += "\(row.run) (\(row.method), epoch \(best.epoch + 1)):\n"
      let width = row.components.map(\.rawValue.count).max() ?? 0
      for component in row.components {
        let name = component.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
        out += "  \(name)  \(best.genotypes[component]?.pythonList ?? "-")\n"
      }
    }
    return out
  }

  var markdown: String {
    var out = "| " + Self.header.joined(separator: " | ") + " |\n"
    out += "|---|---|---|---:|---:|---:|---:|---:|---:|\n"
    for row in rows {
      out += "| " + cells(row).map(MarkdownCell.escaped).joined(separator: " | ") + " |\n"
    }
    out += "\n### Genotypes at the best epoch\n"
    for row in rows {
      let run = MarkdownCell.escaped(row.run)
      let method = MarkdownCell.escaped(row.method)
      guard let best = row.best else {
        out += "\n**\(run)** (\(method)): no epochs yet\n"
        continue
      }
      out += "\n**\(run)** (\(method), epoch \(best.epoch + 1))\n\n"
      for component in row.components {
        out += "- \(component.rawValue): `\(best.genotypes[component]?.pythonList ?? "-")`\n"
      }
    }
    return out
  }

  private var csv: String {
    var out = CSVField.record(
      ["run", "method", "dataset", "imbalance_ratio", "best_epoch", "overall", "many", "medium", "few"]
        + ArchitectureComponent.allCases.map { "genotype_\($0.rawValue)" })
    for row in rows {
      let accuracies = [row.best?.test.accuracy] + Self.groups.map { row.groupAccuracy($0) }
      var fields = [
        CSVField.quoted(row.run), CSVField.quoted(row.method), CSVField.quoted(row.dataset),
        row.imbalanceRatio.map(Format.shortest) ?? "", row.bestEpochNumber.map(String.init) ?? "",
      ]
      fields += accuracies.map { $0.map(Format.shortest) ?? "" }
      fields += ArchitectureComponent.allCases.map { component in
        guard let genotype = row.best?.genotypes[component] else { return "" }
        return CSVField.quoted(genotype.pythonList, always: true)
      }
      out += fields.joined(separator: ",") + "\r\n"
    }
    return out
  }
}
