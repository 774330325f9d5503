import Foundation
import RunEvents
import RunStore
import Study
import SyntheticRuns
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct StudyReportTests {
  /// Epochs per seed of each method: a synthetic run's last test top-1 is 0.32 + 0.06 (epochs - 1).
  static let epochs = ["darts": [6, 6, 7], "darts-rs": [2, 2, 3], "bbn-darts": [4, 4, 5], "hls": [6, 6, 7]]

  static func top1(_ epochs: Int) -> Double { 0.32 + 0.06 * Double(epochs - 1) }

  static func report() throws -> StudyReport {
    let text = """
      preset = "tiny"
      [data]
      dataset = "synthetic"
      [grid]
      method = ["darts", "darts-rs", "bbn-darts", "hls"]
      mu = ["constant 0.3", "constant 0.7"]
      seed = [0, 1, 2]
      """
    let study = try Study(text: text, source: "/tmp/report-study.toml")
    let outcomes = try study.runs().map { run -> StudyOutcome in
      var synthetic = SyntheticRun()
      synthetic.method = run.search.method.rawValue
      synthetic.twoHead = ["bbn-darts", "hls"].contains(synthetic.method)
      synthetic.runID = run.id
      synthetic.epochs = epochs[synthetic.method]![Int(run.search.data.seed)]
      synthetic.finishedEpochs = synthetic.epochs
      synthetic.ends = true
      let summary = RunSummary(id: run.id, events: synthetic.events())
      return StudyOutcome(run: run, state: .finished, search: summary, training: summary)
    }
    return StudyReport(study: study, outcomes: outcomes)
  }

  @Test func rowsAreMeansAndDeviationsOverSeeds() throws {
    let report = try Self.report()
    #expect(report.settingLabels == ["mu"])
    #expect(report.rows.count == 8)
    let rs = try #require(report.rows.first { $0.method == "darts-rs" && $0.settingText == "mu=constant 0.3" })
    let values = Self.epochs["darts-rs"]!.map(Self.top1)
    #expect(rs.top1.count == 3)
    #expect(abs(rs.top1.mean - values.reduce(0, +) / 3) < 1e-12)
    #expect(abs(rs.top1.standardDeviation - 0.06 / 3.0.squareRoot()) < 1e-9)
    #expect(abs(rs.few.mean - values.map { max($0 - 0.25, 0) }.reduce(0, +) / 3) < 1e-12)
    let versus = try #require(rs.versusDARTS)
    #expect(abs(versus.estimate - (-0.24)) < 1e-12)
    #expect(report.rows.first { $0.method == "darts" }?.versusDARTS == nil)
  }

  @Test func claimsHaveVerdictsWithEvidence() throws {
    let claims = try Self.report().claims
    let resampling = claims.filter { $0.statement.contains("re-sampling") }
    #expect(resampling.count == 2 && resampling.allSatisfy { $0.verdict == .supports })
    #expect(resampling[0].evidence.contains("darts-rs - darts = -24.00 points"))
    let hls = claims.filter { $0.statement.hasPrefix("HLS") }
    #expect(hls.count == 2 && hls.allSatisfy { $0.verdict == .undecided })
    #expect(claims.contains { $0.statement.contains("Naive BBN") })
    let mu = claims.filter { $0.statement.contains("mixing ratio") }
    // Equal top-1 at both mu values: the interval of best - worst lies within ±1 point only if the seeds
    // agree; here they spread by 6 points, so the study cannot decide.
    #expect(mu.count == 2 && mu.allSatisfy { $0.verdict == .undecided })  // bbn-darts and hls; darts has no mu
    #expect(!claims.contains { $0.statement.contains("re-weighting") })
  }

  @Test func renderingsCarryTheSameNumbers() throws {
    let report = try Self.report()
    let text = report.rendered(as: .text)
    #expect(text.contains("24 of 24 runs finished"))
    #expect(text.contains("The paper's claims:") && text.contains("SUPPORTS"))
    let csv = report.rendered(as: .csv).split(separator: "\r\n")
    #expect(csv.count == 9 && csv[0].hasPrefix("mu,method,finished,runs,top1_mean,top1_std"))
    let markdown = report.rendered(as: .markdown)
    #expect(markdown.contains("| mu | method | seeds |") && markdown.contains("### The paper's claims"))
  }

  @Test func everyFigureIsWellFormedSVG() throws {
    let (figures, skipped) = StudyFigures(report: try Self.report()).figures()
    let names = figures.map(\.0)
    for name in [
      "fig2-naive-bbn-loss.svg", "fig3-alphas-normal.svg", "fig3-alphas-class.svg", "fig4-accuracy-vs-mu.svg",
      "fig5-schedules.svg", "accuracy-per-method.svg", "per-class-accuracy.svg",
    ] {
      #expect(names.contains(name), "missing \(name)")
    }
    #expect(skipped.isEmpty)
    for (name, document) in figures {
      #expect(throws: Never.self, "\(name)") { _ = try XMLDocument(data: Data(document.xml.utf8)) }
    }
    let fig2 = try #require(figures.first { $0.0 == "fig2-naive-bbn-loss.svg" }?.1.xml)
    // Three bbn-darts seeds, train and validation each, and darts' validation loss in grey, in each of the two
    // mu settings.
    #expect(fig2.components(separatedBy: ">seed 2 val<").count - 1 == 2)
    #expect(fig2.components(separatedBy: ">darts seed 2 val<").count - 1 == 2)
    let bars = try #require(figures.first { $0.0 == "accuracy-per-method.svg" }?.1.xml)
    #expect(bars.components(separatedBy: "class=\"bar\"").count - 1 == 8)
  }
}
