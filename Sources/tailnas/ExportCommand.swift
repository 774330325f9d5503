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
      RUN is a search run or a training run (RUN/train). Without --out, one text export goes to standard \
      output: --genotype, --csv steps or --csv epochs. With --out DIR, the chosen text exports are written \
      to DIR as genotype.py, steps.csv and epochs.csv (--csv all needs --out). --svg DIR writes loss.svg, \
      accuracy.svg, schedules.svg, for a search one alphas-<component>.svg per searched component, and the \
      cells drawn by Graphviz as DARTS' visualize.py draws them: cell-normal.svg, cell-reduce.svg (and \
      cell-instance.svg, cell-class.svg for two heads). --dot DIR writes the cells' Graphviz DOT text instead \
      of rendering it (cell-<component>.dot). Files written are listed on standard error.

      The genotype is a search's final epoch's, or the one a training run trained: `NAME = \
      Genotype(normal=..., normal_concat=..., reduce=..., reduce_concat=...)` after the namedtuple \
      definition, plus NAME_INSTANCE_HEAD and NAME_CLASS_HEAD lists (and their _CONCAT lists) for two heads. \
      NAME defaults to the method and run id, e.g. HLS_20240101_120000.

      CSV (RFC 4180, CRLF line ends; epochs, steps and global steps count from 1; an empty field is a missing \
      value): a search's steps.csv has global_step, epoch, step, train_loss, validation_loss, \
      train_loss_instance, train_loss_class, weight_lr, mu, arch_lr_<component>..., images_per_s; its \
      epochs.csv has epoch, train/val/test loss and acc, many_acc, medium_acc, few_acc, acc_class_<class>..., \
      weight_lr, mu, arch_lr_<component>..., seconds. A training run's tables have auxiliary_loss and \
      drop_path in place of the validation and architecture columns.

      Examples: `tailnas export RUN --genotype >> genotypes.py`, `tailnas export RUN --csv epochs > epochs.csv`, \
      `tailnas export RUN/train --svg figures`, `tailnas export RUN --genotype --csv all --out exports --svg figures`.
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
  @Option(help: ArgumentHelp("Write the SVG figures (charts and cells) into this directory.", valueName: "dir"))
  var svg: String?
  @Option(help: ArgumentHelp("Write the cells' Graphviz DOT text into this directory.", valueName: "dir"))
  var dot: String?

  private var tables: [RunExport.Table] {
    switch csv {
    case nil: []
    case .steps: [.steps]
    case .epochs: [.epochs]
    case .all: [.steps, .epochs]
    }
  }

  func validate() throws {
    guard genotype || csv != nil || svg != nil || dot != nil else {
      throw ValidationError("say what to export: --genotype, --csv steps|epochs|all, --svg DIR and/or --dot DIR")
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
      if let dot {
        for file in try export.writeCellDOT(to: URL(fileURLWithPath: dot)) { printError("wrote \(file.path)") }
      }
      if let svg {
        let directory = URL(fileURLWithPath: svg)
        for file in try export.writeFigures(to: directory) { printError("wrote \(file.path)") }
        do {
          for file in try export.writeCellFigures(to: directory) { printError("wrote \(file.path)") }
        } catch let error as GraphvizError {
          printError("tailnas: the cell figures were not drawn: \(error)")
          if dot == nil { printError("tailnas: --dot DIR writes the cells' DOT text without Graphviz") }
          throw ExitCode(ExitStatus.unavailable)
        }
      }
    } catch let exit as ExitCode {
      throw exit
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }
}
