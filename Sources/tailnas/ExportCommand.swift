import ArgumentParser
import Foundation
import Reports
import RunStore

/// `tailnas export RUN`: the final genotype as DARTS Python, the metrics as CSV, the figures as SVG.
struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export a run: its genotype (DARTS Python), metrics (CSV) and figures (SVG).",
    discussion: """
      Without --out, one text export goes to standard output: --genotype, --csv steps or --csv epochs. \
      With --out DIR, the chosen text exports are written to DIR as genotype.py, steps.csv and epochs.csv \
      (--csv all needs --out). --svg DIR writes loss.svg, accuracy.svg, schedules.svg and one \
      alphas-<component>.svg per searched component. Files written are listed on standard error.

      The genotype is the final epoch's: `NAME = Genotype(normal=..., normal_concat=..., reduce=..., \
      reduce_concat=...)` after the namedtuple definition, plus NAME_INSTANCE_HEAD and NAME_CLASS_HEAD lists \
      (and their _CONCAT lists) for two-head runs. NAME defaults to the method and run id, e.g. \
      HLS_20240101_120000.

      CSV (RFC 4180, CRLF line ends; epochs, steps and global steps count from 1; an empty field is a missing \
      value): steps.csv has global_step, epoch, step, train_loss, validation_loss, train_loss_instance, \
      train_loss_class, weight_lr, mu, arch_lr_<component>..., images_per_s; epochs.csv has epoch, \
      train/val/test loss and acc, many_acc, medium_acc, few_acc, acc_class_<class>..., weight_lr, mu, \
      arch_lr_<component>..., seconds.

      Examples: `tailnas export RUN --genotype >> genotypes.py`, `tailnas export RUN --csv epochs > epochs.csv`, \
      `tailnas export RUN --genotype --csv all --out exports --svg figures`.
      """)

  /// What `--csv` selects.
  enum TableChoice: String, ExpressibleByArgument, CaseIterable {
    case steps
    case epochs
    case all
  }

  @OptionGroup var reference: RunReference
  @Flag(help: "Export the final genotype as DARTS Python.") var genotype = false
  @Option(help: "The Python name of the genotype (default: from the method and run id).") var name: String?
  @Option(help: ArgumentHelp("Export metrics as CSV: steps, epochs or all (all needs --out).", valueName: "table"))
  var csv: TableChoice?
  @Option(help: ArgumentHelp("Write genotype.py and the CSV files into this directory.", valueName: "dir"))
  var out: String?
  @Option(help: ArgumentHelp("Write the SVG figures into this directory.", valueName: "dir")) var svg: String?

  private var tables: [RunExport.Table] {
    switch csv {
    case nil: []
    case .steps: [.steps]
    case .epochs: [.epochs]
    case .all: [.steps, .epochs]
    }
  }

  func validate() throws {
    guard genotype || csv != nil || svg != nil else {
      throw ValidationError("say what to export: --genotype, --csv steps|epochs|all and/or --svg DIR")
    }
    if let name, !RunExport.isPythonIdentifier(name) {
      throw ValidationError("\(RunExportError.invalidName(name))")
    }
    if name != nil && !genotype { throw ValidationError("--name applies to --genotype") }
    if out == nil && csv == .all { throw ValidationError("--csv all writes two files; add --out DIR") }
    if out == nil && (genotype ? 1 : 0) + tables.count > 1 {
      throw ValidationError(
        "only one of --genotype, --csv steps, --csv epochs can go to standard output; use --out DIR")
    }
  }

  func run() throws {
    do {
      let directory = try reference.open()
      let summary = try RunSummary(directory: directory)
      for warning in summary.warnings { printError("tailnas: \(warning)") }
      if summary.epochs.isEmpty && !tables.isEmpty {
        printError("tailnas: \(summary.id) has no epochs yet; the tables hold only what was recorded")
      }
      let export = RunExport(run: summary)
      if let out {
        let files = try export.write(genotype: genotype, name: name, tables: tables, to: URL(fileURLWithPath: out))
        for file in files { printError("wrote \(file.path)") }
      } else if genotype {
        FileHandle.standardOutput.write(Data(try export.genotypePython(name: name).utf8))
      } else if let table = tables.first {
        FileHandle.standardOutput.write(Data(export.csv(table).utf8))
      }
      if let svg {
        for file in try export.writeFigures(to: URL(fileURLWithPath: svg)) { printError("wrote \(file.path)") }
      }
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }
}
