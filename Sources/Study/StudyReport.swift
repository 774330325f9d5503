import Foundation
import RunEvents

/// The paper's table for a study: one row per setting (the values of the grid's axes other than method and
/// seed) and method, with the mean ± standard deviation over the seeds of each number, the difference of the
/// top-1 to plain `darts` in the same setting with its 95% Welch interval, and the paper's claims with
/// this study's verdict on each. Only finished runs count; the row says how many of its runs are finished.
public struct StudyReport: Sendable {
  /// One setting and method.
  public struct Row: Sendable {
    /// The values of the axes other than method and seed, e.g. `[("imbalance_ratio", "100")]`.
    public var setting: [(label: String, value: String)]
    public var method: String
    /// Every run of the row, finished or not.
    public var outcomes: [StudyOutcome]
    /// Trained top-1 overall and per shot group (the search's top-1 when the study does not train).
    public var top1: Sample
    public var many: Sample
    public var medium: Sample
    public var few: Sample
    /// The search network's top-1 at its last epoch.
    public var searchTop1: Sample
    /// The trained network's parameters.
    public var parameters: Sample
    /// top-1 minus plain darts' top-1 in the same setting (nil for darts itself or without two seeds each).
    public var versusDARTS: MeanDifference?

    /// The finished runs of the row (those whose numbers count).
    public var finished: [StudyOutcome] { outcomes.filter(\.isFinished) }

    /// `imbalance_ratio=100 mu=constant 0.5`, or "" for a study with only method and seed axes.
    public var settingText: String { setting.map { "\($0.label)=\($0.value)" }.joined(separator: " ") }
  }

  public var study: Study
  /// Whether the numbers are trained accuracies (else the search network's).
  public var trains: Bool
  /// The labels of the setting axes, in grid order.
  public var settingLabels: [String]
  public var rows: [Row]
  public var claims: [StudyClaim]

  /// The report of `outcomes` (every run of `study`, in grid order).
  public init(study: Study, outcomes: [StudyOutcome]) {
    self.study = study
    trains = study.trains
    let settingAxes = study.axes.filter { !Self.isMethodOrSeed($0.label) }
    settingLabels = settingAxes.map(\.label)
    var order: [String] = []
    var grouped: [String: [StudyOutcome]] = [:]
    for outcome in outcomes {
      let key = Self.key(outcome, labels: settingLabels)
      if grouped[key] == nil { order.append(key) }
      grouped[key, default: []].append(outcome)
    }
    let labels = settingLabels
    var rows = order.map { key -> Row in
      let outcomes = grouped[key]!
      let finished = outcomes.filter(\.isFinished)
      let first = outcomes[0]
      return Row(
        setting: labels.map { ($0, first.run.value($0) ?? "-") },
        method: first.run.search.method.rawValue, outcomes: outcomes,
        top1: Sample(finished.compactMap(\.top1)),
        many: Sample(finished.compactMap { $0.trainedTop1("many") }),
        medium: Sample(finished.compactMap { $0.trainedTop1("medium") }),
        few: Sample(finished.compactMap { $0.trainedTop1("few") }),
        searchTop1: Sample(finished.compactMap(\.searchTop1)),
        parameters: Sample(finished.compactMap { $0.parameters.map(Double.init) }))
    }
    for index in rows.indices where rows[index].method != "darts" {
      if let darts = rows.first(where: { $0.method == "darts" && $0.settingText == rows[index].settingText }) {
        rows[index].versusDARTS = MeanDifference(rows[index].top1, minus: darts.top1)
      }
    }
    self.rows = rows
    claims = StudyClaim.evaluate(rows: rows, study: study)
  }

  /// The settings of the rows (`Row.settingText`), each once, in grid order.
  public var settings: [String] { Self.settings(of: rows) }

  static func settings(of rows: [Row]) -> [String] {
    rows.map(\.settingText).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
  }

  static func isMethodOrSeed(_ label: String) -> Bool { label == "method" || label == "seed" }

  static func key(_ outcome: StudyOutcome, labels: [String]) -> String {
    (labels.map { "\($0)=\(outcome.run.value($0) ?? "-")" } + [outcome.run.search.method.rawValue]).joined(
      separator: "\u{1F}")
  }
}
