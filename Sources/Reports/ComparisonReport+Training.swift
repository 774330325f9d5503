import Architecture
import Foundation
import Presentation
import RunEvents
import RunStore

/// The search and the training of its genotype side by side (DARTS' evaluation: a NAS result is the found
/// architecture trained from scratch): per row the search's top-1 at its best epoch, its epochs and time, then
/// the training's top-1 overall, many, medium and few-shot at its last epoch (the accuracy after the whole
/// schedule, as DARTS reports it, not picked on the test set), its parameters, epochs and time.
extension ComparisonReport {
  /// A training run's results.
  public struct Training: Sendable, Equatable {
    /// The training run's id, e.g. `20261201-120000-hls/train`.
    public var run: String
    /// The long-tail recipe it trained with.
    public var recipe: String
    /// The last epoch's report; nil before the first epoch ends.
    public var final: EpochReport?
    /// Parameters without the auxiliary head, as DARTS counts them.
    public var parameters: Int?
    public var epochs: Int
    public var plannedEpochs: Int?
    /// The epochs' seconds summed.
    public var seconds: Double
    /// Whether the training has finished all its epochs.
    public var isFinished: Bool
    /// The genotype trained, and the search epoch it came from (from 0; nil for one given by hand).
    public var genotype: Genotype?
    public var sourceEpoch: Int?

    /// The training of `summary`.
    public init(summary: RunSummary) {
      run = summary.id
      recipe = summary.started?.recipe ?? "plain"
      final = summary.finalEpoch
      parameters = summary.started?.parameterCount
      epochs = summary.epochs.count
      plannedEpochs = summary.plannedEpochs
      seconds = summary.epochs.reduce(0) { $0 + $1.seconds }
      isFinished = summary.status == .finished
      genotype = summary.started?.genotype.flatMap { try? GenotypeParser.parse($0) }
      sourceEpoch = summary.started?.sourceEpoch
    }

    /// The test accuracy of a shot group at the last epoch.
    public func groupAccuracy(_ group: String) -> Double? { final?.groupAccuracy[group] }
  }

  /// One row per (search, training) pair: a search without a training, a search and one of its trainings,
  /// or a training of a genotype given by hand (no search).
  public init(pairs: [(search: RunSummary?, training: RunSummary?)]) {
    rows = pairs.compactMap { search, training in
      guard let first = search ?? training else { return nil }
      var row = Row(
        run: first.id, method: first.method, dataset: first.dataset, imbalanceRatio: first.imbalanceRatio,
        best: search?.bestEpoch, components: search?.components ?? [])
      if let search {
        row.searchEpochs = search.epochs.count
        row.searchSeconds = search.epochs.reduce(0) { $0 + $1.seconds }
      }
      row.training = training.map(Training.init(summary:))
      return row
    }
  }

  static let sideBySideHeader = [
    "run", "method", "dataset", "ratio", "search top-1", "search epochs", "search time", "trained run", "recipe",
    "top-1", "many", "medium", "few", "params", "epochs", "time",
  ]

  private func sideBySideCells(_ row: Row) -> [String] {
    func percent(_ value: Double?) -> String { value.map { Format.percent($0, digits: 2) } ?? "-" }
    var cells = [row.run, row.method, row.dataset, row.imbalanceRatio.map(Format.ratio) ?? "-"]
    cells += [
      percent(row.best?.test.accuracy), row.searchEpochs.map(String.init) ?? "-",
      row.searchSeconds.map(Format.duration) ?? "-",
    ]
    guard let training = row.training else { return cells + Array(repeating: "-", count: 9) }
    cells += [Self.trainedRunName(training.run, search: row), training.recipe, percent(training.final?.test.accuracy)]
    cells += Self.groups.map { percent(training.groupAccuracy($0)) }
    cells += [
      training.parameters.map(Format.parameters) ?? "-",
      "\(training.epochs)" + (training.plannedEpochs.map { "/\($0)" } ?? ""), Format.duration(training.seconds),
    ]
    return cells
  }

  /// The training run's id, short (`train-2`) when it lives in the row's search run.
  static func trainedRunName(_ id: String, search row: Row) -> String {
    row.searchEpochs != nil && id.hasPrefix(row.run + "/") ? String(id.dropFirst(row.run.count + 1)) : id
  }

  var sideBySideText: String {
    var out = TextTable(
      header: Self.sideBySideHeader, rows: rows.map(sideBySideCells), rightAligned: Set([3, 4, 5, 6] + Array(9...15))
    ).text
    out += "\nsearch top-1 at the search's best epoch; trained top-1 and shot groups at the training's last epoch\n"
    out += "\ngenotypes:\n"
    var shown = Set<Int>()
    for (index, row) in rows.enumerated() {
      guard shown.insert(index).inserted else { continue }
      if let training = row.training, let genotype = training.genotype {
        // One entry per genotype of a search: its trainings with other recipes or seeds share it.
        let same = rows.indices.filter { other in
          rows[other].run == row.run && rows[other].training?.genotype == genotype
            && rows[other].training?.sourceEpoch == training.sourceEpoch
        }
        shown.formUnion(same)
        let names = same.compactMap { other in
          rows[other].training.map { Self.trainedRunName($0.run, search: rows[other]) }
        }
        let source = training.sourceEpoch.map { "the genotype of epoch \($0 + 1)" } ?? "a genotype given by hand"
        let title = row.searchEpochs == nil ? row.run : "\(row.run) \(names.joined(separator: ", "))"
        out += "\(title) (\(source)):\n"
        out += Self.genotypeLines(genotype.cells.map { ($0.component, $0.cell) })
      } else if let best = row.best {
        out += "\(row.run) (\(row.method), best epoch \(best.epoch + 1), not trained):\n"
        out += Self.genotypeLines(row.components.compactMap { c in best.genotypes[c].map { (c, $0) } })
      } else {
        out += "\(row.run) (\(row.method)): no epochs yet\n"
      }
    }
    return out
  }

  /// `  normal  [('sep_conv_3x3', 0), ...]` per cell, names padded to one width.
  static func genotypeLines(_ cells: [(ArchitectureComponent, CellGenotype)]) -> String {
    let width = cells.map(\.0.rawValue.count).max() ?? 0
    return cells.map { component, cell in
      "  \(component.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(cell.pythonList)\n"
    }.joined()
  }

  var sideBySideMarkdown: String {
    var out = "| " + Self.sideBySideHeader.joined(separator: " | ") + " |\n"
    out +=
      "|"
      + Self.sideBySideHeader.indices.map { [3, 4, 5, 6].contains($0) || $0 >= 9 ? "---:" : "---" }
      .joined(separator: "|") + "|\n"
    for row in rows {
      out += "| " + sideBySideCells(row).map(MarkdownCell.escaped).joined(separator: " | ") + " |\n"
    }
    out += "\nSearch top-1 at the search's best epoch; trained top-1 and shot groups at the training's last epoch.\n"
    return out
  }

  var sideBySideCSV: String {
    var out = CSVField.record(
      [
        "run", "method", "dataset", "imbalance_ratio", "search_best_epoch", "search_overall", "search_epochs",
        "search_seconds", "trained_run", "recipe", "trained_epochs", "trained_overall", "trained_many",
        "trained_medium", "trained_few", "parameters", "trained_seconds",
      ])
    for row in rows {
      let training = row.training
      var fields = [
        CSVField.quoted(row.run), CSVField.quoted(row.method), CSVField.quoted(row.dataset),
        row.imbalanceRatio.map(Format.shortest) ?? "", row.bestEpochNumber.map(String.init) ?? "",
        row.best.map { Format.shortest($0.test.accuracy) } ?? "", row.searchEpochs.map(String.init) ?? "",
        row.searchSeconds.map(Format.shortest) ?? "",
      ]
      fields += [
        training.map { CSVField.quoted($0.run) } ?? "", training.map { CSVField.quoted($0.recipe) } ?? "",
        training.map { "\($0.epochs)" } ?? "",
      ]
      let accuracies = [training?.final?.test.accuracy] + Self.groups.map { training?.groupAccuracy($0) }
      fields += accuracies.map { $0.map(Format.shortest) ?? "" }
      fields += [training?.parameters.map(String.init) ?? "", training.map { Format.shortest($0.seconds) } ?? ""]
      out += fields.joined(separator: ",") + "\r\n"
    }
    return out
  }
}
