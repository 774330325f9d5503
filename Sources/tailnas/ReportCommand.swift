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

      A search whose genotype was trained (tailnas train RUN, or search --train) is shown side by side with \
      its training, one row per training run (RUN/train, RUN/train-2, ...): search top-1 at the search's best \
      epoch, epochs and time, then the trained top-1 overall, many, medium and few at the training's last \
      epoch, its recipe, parameters (without the auxiliary head), epochs and time. RUN may also name a \
      training run (RUN/train-2) to show just that one.
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
    var pairs: [(search: RunSummary?, training: RunSummary?)] = []
    do {
      for reference in runs {
        let directory = try RunDirectory.open(reference, runsDirectory: URL(fileURLWithPath: runsDirectory))
        if directory.isTraining {
          pairs.append((try directory.parent.map(RunSummary.init(directory:)), try RunSummary(directory: directory)))
          continue
        }
        let search = try RunSummary(directory: directory)
        let trainings = try directory.trainingRuns().map(RunSummary.init(directory:)).filter { $0.started != nil }
        pairs += trainings.isEmpty ? [(search, nil)] : trainings.map { (search, $0) }
      }
    } catch {
      throw ExitStatus.exit(for: error)
    }
    for summary in pairs.flatMap({ [$0.search, $0.training] }).compactMap({ $0 }) {
      for warning in summary.warnings { printError("tailnas: \(warning)") }
    }
    let report = ComparisonReport(pairs: pairs)
    for run in report.runsWithoutEpochs { printError("tailnas: \(run) has no epochs yet; its row is empty") }
    FileHandle.standardOutput.write(Data(report.rendered(as: ReportFormat(rawValue: format) ?? .text).utf8))
  }
}
