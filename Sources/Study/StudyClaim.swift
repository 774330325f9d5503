import Foundation
import Presentation

/// One of the paper's claims, and whether a study's runs support it.
///
/// The claims (the paper's comparisons on long-tailed data): DARTS with re-sampling, and with re-weighting,
/// does worse than plain DARTS; HLS is comparable to or better than plain DARTS; naive BBN + DARTS
/// destabilises the search (Figure 2); the accuracy depends on the mixing ratio mu (Figure 4). Each is
/// decided per setting from 95% Welch intervals over the seeds: a difference supports or contradicts a claim
/// only when its interval excludes zero (or, for "comparable", lies within ±`margin` points).
public struct StudyClaim: Sendable, Equatable {
  /// What the runs say.
  public enum Verdict: String, Sendable {
    case supports
    case contradicts
    case undecided = "cannot decide"
  }

  public var statement: String
  /// The setting the claim was decided in (`imbalance_ratio=100`), "" when the study has a single one.
  public var setting: String
  public var verdict: Verdict
  /// The numbers behind the verdict.
  public var evidence: String

  /// The methods with an instance and a class head, mixed by mu.
  static let twoHeadMethods: Set<String> = ["bbn-darts", "hls"]

  /// Top-1 points within which two methods count as comparable.
  public static let margin = 1.0

  static func evaluate(rows: [StudyReport.Row], study: Study) -> [StudyClaim] {
    var claims: [StudyClaim] = []
    let settings = StudyReport.settings(of: rows)
    let metric = study.trains ? "trained top-1" : "search top-1"
    func row(_ method: String, _ setting: String) -> StudyReport.Row? {
      rows.first { $0.method == method && $0.settingText == setting }
    }
    for (method, name) in [("darts-rs", "re-sampling"), ("darts-rw", "re-weighting")] {
      for setting in settings {
        guard let darts = row("darts", setting), let other = row(method, setting) else { continue }
        let statement = "DARTS + \(name) (\(method)) does worse than plain DARTS"
        claims.append(
          compare(
            other, darts, statement: statement, setting: setting, metric: metric,
            verdict: { $0.sign < 0 ? .supports : ($0.sign > 0 ? .contradicts : .undecided) }))
      }
    }
    for setting in settings {
      guard let darts = row("darts", setting), let hls = row("hls", setting) else { continue }
      claims.append(
        compare(
          hls, darts, statement: "HLS is comparable to or better than plain DARTS", setting: setting,
          metric: metric,
          verdict: { difference in
            if difference.high < 0 { return .contradicts }
            if difference.low > 0 || (difference.low > -margin / 100 && difference.high < margin / 100) {
              return .supports
            }
            return .undecided
          }))
    }
    for setting in settings {
      guard let darts = row("darts", setting), let naive = row("bbn-darts", setting) else { continue }
      claims.append(instability(naive: naive, darts: darts, setting: setting))
    }
    claims += mixingRatio(rows: rows, study: study, metric: metric)
    return claims
  }

  /// `a - b` in points with its interval, e.g. `-1.23 points, 95% interval [-2.01, -0.45]`.
  static func describe(_ d: MeanDifference, _ a: StudyReport.Row, _ b: StudyReport.Row) -> String {
    "\(a.method) - \(b.method) = \(points(d.estimate)) points, 95% interval [\(points(d.low)), \(points(d.high))]"
      + " (Welch\(d.degreesOfFreedom.isFinite ? ", df \(Format.number(d.degreesOfFreedom))" : ""); "
      + "\(a.top1.count) vs \(b.top1.count) seeds)"
  }

  static func points(_ fraction: Double) -> String { String(format: "%+.2f", fraction * 100) }

  static func compare(
    _ a: StudyReport.Row, _ b: StudyReport.Row, statement: String, setting: String, metric: String,
    verdict: (MeanDifference) -> Verdict
  ) -> StudyClaim {
    guard let difference = MeanDifference(a.top1, minus: b.top1) else {
      return StudyClaim(
        statement: statement, setting: setting, verdict: .undecided,
        evidence: "needs at least 2 finished seeds of each; \(a.method) has \(a.top1.count), "
          + "\(b.method) \(b.top1.count)")
    }
    return StudyClaim(
      statement: statement, setting: setting, verdict: verdict(difference),
      evidence: "\(metric): " + describe(difference, a, b))
  }

  /// How far the search's validation loss ends above its lowest epoch, relative to it: (last - min) / min
  /// (the training loss when the run has no validation split). A stable search ends near its minimum.
  static func rise(_ outcome: StudyOutcome) -> Double? {
    guard let epochs = outcome.search?.epochs, epochs.count >= 2 else { return nil }
    let losses = epochs.map { $0.validation?.loss ?? $0.train.loss }.filter(\.isFinite)
    guard let last = losses.last, let low = losses.min(), low > 0 else { return nil }
    return (last - low) / low
  }

  static func instability(naive: StudyReport.Row, darts: StudyReport.Row, setting: String) -> StudyClaim {
    let statement = "Naive BBN + DARTS (bbn-darts) destabilises the search (Figure 2)"
    let a = Sample(naive.finished.compactMap(rise))
    let b = Sample(darts.finished.compactMap(rise))
    guard let d = MeanDifference(a, minus: b) else {
      return StudyClaim(
        statement: statement, setting: setting, verdict: .undecided,
        evidence: "needs at least 2 finished searches of each; bbn-darts has \(a.count), darts \(b.count)")
    }
    let verdict: Verdict = d.sign > 0 ? .supports : (d.sign < 0 ? .contradicts : .undecided)
    return StudyClaim(
      statement: statement, setting: setting, verdict: verdict,
      evidence: "rise of the search's validation loss from its lowest epoch to its last: bbn-darts "
        + "\(Format.percent(a.mean, digits: 1)), darts \(Format.percent(b.mean, digits: 1)); difference "
        + "\(points(d.estimate)) points, 95% interval [\(points(d.low)), \(points(d.high))]")
  }

  /// Per method and per setting of the other axes: the best and the worst mu value's top-1 compared.
  static func mixingRatio(rows: [StudyReport.Row], study: Study, metric: String) -> [StudyClaim] {
    let statement = "The accuracy depends on the mixing ratio mu (Figure 4)"
    guard study.axes.contains(where: { $0.label == "mu" }) else {
      return rows.contains(where: { ["bbn-darts", "hls"].contains($0.method) })
        ? [
          StudyClaim(
            statement: statement, setting: "", verdict: .undecided,
            evidence: "the study does not vary mu (add mu = [...] to its [grid])")
        ] : []
    }
    var claims: [StudyClaim] = []
    var families: [String: [StudyReport.Row]] = [:]
    var order: [String] = []
    // mu mixes the two heads: only the two-head methods have one.
    for row in rows where row.setting.contains(where: { $0.label == "mu" }) && twoHeadMethods.contains(row.method) {
      let rest = row.setting.filter { $0.label != "mu" }.map { "\($0.label)=\($0.value)" }
      let key = ([row.method] + rest).joined(separator: " ")
      if families[key] == nil { order.append(key) }
      families[key, default: []].append(row)
    }
    for key in order {
      let family = families[key]!.filter { $0.top1.count >= 2 }
      guard family.count >= 2 else {
        claims.append(
          StudyClaim(
            statement: statement, setting: key, verdict: .undecided,
            evidence: "needs two mu values with at least 2 finished seeds each"))
        continue
      }
      let sorted = family.sorted { $0.top1.mean > $1.top1.mean }
      let best = sorted.first!
      let worst = sorted.last!
      let d = MeanDifference(best.top1, minus: worst.top1)!
      let verdict: Verdict =
        d.low > 0 ? .supports : (d.low > -margin / 100 && d.high < margin / 100 ? .contradicts : .undecided)
      func mu(_ row: StudyReport.Row) -> String { row.setting.first { $0.label == "mu" }?.value ?? "?" }
      claims.append(
        StudyClaim(
          statement: statement, setting: key, verdict: verdict,
          evidence: "\(metric): best mu \(mu(best)) \(Format.percent(best.top1.mean, digits: 2)), worst mu "
            + "\(mu(worst)) \(Format.percent(worst.top1.mean, digits: 2)); difference \(points(d.estimate)) points, "
            + "95% interval [\(points(d.low)), \(points(d.high))]"))
    }
    return claims
  }
}
