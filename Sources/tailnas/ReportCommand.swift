import ArgumentParser
import Foundation
import Reports
import RunStore

/// `tailnas report RUN...`: the comparison table of the paper over saved runs.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Compare runs: overall, many, medium and few-shot test accuracy at each run's best epoch, and genotypes.",
    discussion: """
      One row per run, in the order given. The best epoch is the epoch with the best overall test accuracy \
      (counted from 1); the accuracies and genotypes shown are that epoch's. Formats: text (aligned columns, \
      genotypes below), markdown (a pipe table and a genotype section), csv (RFC 4180, one record per run, \
      accuracies as fractions, genotypes as quoted Python lists).
      """)

  @Argument(help: "The runs: directories or ids under --runs-dir.") var runs: [String]
  @Option(name: .customLong("runs-dir"), help: "Where runs are stored.") var runsDirectory = "runs"
  @Option(help: "Output format: text, markdown or csv.") var format = "text"

  func validate() throws {
    guard ReportFormat(rawValue: format) != nil else {
      throw ValidationError("unknown format '\(format)'; expected text, markdown or csv")
    }
    guard !runs.isEmpty else { throw ValidationError("name at least one run") }
  }

  func run() throws {
    let summaries: [RunSummary]
    do {
      summaries = try runs.map { reference in
        try RunSummary(directory: RunDirectory.open(reference, runsDirectory: URL(fileURLWithPath: runsDirectory)))
      }
    } catch {
      throw ExitStatus.exit(for: error)
    }
    for summary in summaries {
      for warning in summary.warnings { printError("tailnas: \(warning)") }
    }
    let report = ComparisonReport(runs: summaries)
    for run in report.runsWithoutEpochs { printError("tailnas: \(run) has no epochs yet; its row is empty") }
    FileHandle.standardOutput.write(Data(report.rendered(as: ReportFormat(rawValue: format) ?? .text).utf8))
  }
}
