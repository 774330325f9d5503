import ArgumentParser
import Foundation
import Presentation
import Reports
import RunStore
import Study

/// `tailnas study report FILE`: the paper's table, claims and figures from the study's runs.
struct StudyReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "The study's table (mean ± std over seeds, differences to darts with 95% intervals) and claims.",
    discussion: """
      Only finished runs count; each row says how many of its runs are finished. Accuracies are the trained \
      network's top-1 at its last epoch (the search's, for a study with train = false). --svg DIR writes the \
      paper's figures (2: naive BBN + DARTS loss, 3: alpha heatmaps, 4: accuracy against mu, 5: mu and the \
      architecture learning rates against normalised epoch, accuracy per method, per-class accuracy against \
      the training count).
      """)

  @OptionGroup var study: StudyFileArgument
  @Option(help: "text, markdown or csv.") var format = "text"
  @Option(help: ArgumentHelp("Write the paper's figures as SVG files into this folder.", valueName: "dir"))
  var svg: String?
  @Option(
    help: ArgumentHelp(
      "The run Figures 3 and 5 show: its id or job number (default: the first finished hls run).",
      valueName: "run"))
  var figureRun: String?
  @Option(
    help: ArgumentHelp(
      "Write every run's TensorBoard event files into this folder, one TensorBoard run per study run and phase "
        + "(<method>/<other values>/search and .../train).", valueName: "dir"))
  var tensorboard: String?

  func validate() throws {
    guard ReportFormat(rawValue: format) != nil else {
      throw ValidationError("--format must be text, markdown or csv, got '\(format)'")
    }
  }

  /// `hls/seed=1` or `darts/imbalance_ratio=100,seed=0`: the method, then the run's other grid values.
  static func tensorBoardName(_ run: StudyRun) -> String {
    let rest = run.values.filter { $0.label != "method" }.map {
      "\($0.label)=\($0.value.plain)".replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: " ", with: "_")
    }
    return run.search.method.rawValue + "/" + (rest.isEmpty ? run.id : rest.joined(separator: ","))
  }

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    let outcomes = runs.map { StudyOutcome(run: $0, trains: study.trains) }
    let report = StudyReport(study: study, outcomes: outcomes)
    FileHandle.standardOutput.write(Data(report.rendered(as: ReportFormat(rawValue: format) ?? .text).utf8))
    if let svg {
      var featured: StudyOutcome?
      if let figureRun {
        guard let outcome = outcomes.first(where: { $0.run.id == figureRun || "\($0.run.index)" == figureRun }) else {
          printError("tailnas: --figure-run \(figureRun) is no run of the study (tailnas study status lists them)")
          throw ExitCode(ExitStatus.usage)
        }
        guard outcome.search?.epochs.isEmpty == false else {
          printError("tailnas: --figure-run \(figureRun) has no finished epoch yet")
          throw ExitCode(ExitStatus.noInput)
        }
        featured = outcome
      }
      let figures = StudyFigures(report: report, featured: featured)
      do {
        let (written, skipped) = try figures.write(to: URL(fileURLWithPath: svg))
        for file in written { say("wrote \(file.path)") }
        for reason in skipped { say("left out \(reason)") }
      } catch {
        throw ExitStatus.exit(for: error)
      }
    }
    if let tensorboard {
      var files = 0
      do {
        for run in runs {
          guard let directory = run.searchRun, (try? RunSummary(directory: directory))?.epochsDone ?? 0 > 0 else {
            continue
          }
          let written = try TensorBoardExport.write(
            run: directory, named: Self.tensorBoardName(run), to: URL(fileURLWithPath: tensorboard))
          for warning in written.warnings { printError("tailnas: \(warning)") }
          files += written.files.count
        }
      } catch {
        throw ExitStatus.exit(for: error)
      }
      say(
        "wrote \(Format.count(files, "TensorBoard event file")) into \(tensorboard) (tensorboard --logdir \(tensorboard))"
      )
    }
  }
}
