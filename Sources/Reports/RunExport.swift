import Architecture
import Foundation
import Presentation
import RunEvents
import RunStore

/// Why a run cannot be exported.
public enum RunExportError: Error, CustomStringConvertible, Equatable {
  /// The run has not finished an epoch, so it has no genotype, metrics or alphas yet.
  case noEpochs(run: String)
  /// A genotype name that is not a Python identifier.
  case invalidName(String)

  public var description: String {
    switch self {
    case .noEpochs(let run): "\(run) has no epochs yet (the run stopped before its first epoch ended)"
    case .invalidName(let name):
      "'\(name)' is not a valid Python identifier (letters, digits and underscores, not starting with a digit)"
    }
  }
}

/// A run's exports: its final genotype in DARTS Python form, its scalar series as CSV tables and its
/// figures as SVG (see `RunExport+Figures.swift`).
public struct RunExport: Sendable {
  /// The two metric tables.
  public enum Table: String, Sendable, CaseIterable {
    /// One row per search step.
    case steps
    /// One row per epoch.
    case epochs

    /// The file name used when writing into a directory.
    public var fileName: String { "\(rawValue).csv" }
  }

  public var run: RunSummary

  public init(run: RunSummary) {
    self.run = run
  }

  // MARK: Genotype

  /// The default Python name: the method, then the run id without the method, upper-cased with every other
  /// character an underscore, e.g. `HLS_20240101_120000` for run `20240101-120000-hls`.
  public var defaultGenotypeName: String {
    let method = run.method == "?" ? "RUN" : run.method
    var id = run.id
    if let range = id.range(of: "-" + method, options: .backwards) { id.removeSubrange(range) }
    let parts = [method, id].map(Self.identifierPart).filter { !$0.isEmpty }
    var name = parts.joined(separator: "_").uppercased()
    if let first = name.unicodeScalars.first, CharacterSet.decimalDigits.contains(first) { name = "RUN_" + name }
    return name.isEmpty ? "RUN" : name
  }

  private static func identifierPart(_ text: String) -> String {
    let mapped = text.unicodeScalars.map { scalar -> Character in
      scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_") ? Character(scalar) : "_"
    }
    return String(mapped).split(separator: "_").joined(separator: "_")
  }

  /// Whether `name` is a Python identifier (ASCII) and not a keyword.
  public static func isPythonIdentifier(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.isASCII,
      CharacterSet.letters.contains(first) || first == "_"
    else { return false }
    let valid = name.unicodeScalars.allSatisfy {
      $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_")
    }
    return valid && !pythonKeywords.contains(name)
  }

  private static let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
  ]

  /// Whether the run trains a found architecture (its genotype is the one it trained) rather than searching.
  public var isTraining: Bool { run.started?.isTraining ?? false }

  /// The run's architecture: a search run's final epoch's genotype, a training run's trained genotype; nil
  /// before a search's first epoch ends.
  public func genotype() throws -> Genotype {
    if isTraining {
      guard let text = run.started?.genotype else { throw RunExportError.noEpochs(run: run.id) }
      return try GenotypeParser.parse(text, source: "\(run.id)'s genotype")
    }
    guard let final = run.finalEpoch else { throw RunExportError.noEpochs(run: run.id) }
    guard let genotype = Genotype(cells: final.genotypes) else {
      throw GenotypeError.invalid("\(run.id)'s last epoch has no backbone genotype")
    }
    return genotype
  }

  /// The genotype as Python, ready to paste into DARTS `genotypes.py`: the `Genotype` namedtuple,
  /// `NAME = Genotype(normal=..., normal_concat=..., reduce=..., reduce_concat=...)`, and for two-head
  /// genotypes `NAME_INSTANCE_HEAD`, `NAME_CLASS_HEAD` and their `_CONCAT` lists. A search run gives its final
  /// epoch's genotype, a training run the genotype it trained.
  public func genotypePython(name: String? = nil) throws -> String {
    let name = name ?? defaultGenotypeName
    guard Self.isPythonIdentifier(name) else { throw RunExportError.invalidName(name) }
    let genotype = try genotype()
    var facts: [String?]
    if isTraining {
      let source = run.started?.sourceRun.map { run in
        "the genotype of \(run)" + (self.run.started?.sourceEpoch.map { ", epoch \($0 + 1)" } ?? "")
      }
      facts = [
        "tailnas training run \(run.id): \(source ?? "a genotype given by hand") on \(run.dataset)",
        run.imbalanceRatio.map { "imbalance ratio \(Format.ratio($0))" },
        run.started?.recipe.map { "recipe \($0)" },
      ]
      if let final = run.finalEpoch {
        facts.append("trained \(Format.count(final.epoch + 1, "epoch"))")
        facts.append("test accuracy \(Format.percent(final.test.accuracy, digits: 2))")
      }
    } else {
      let final = run.finalEpoch
      facts = [
        "tailnas run \(run.id): \(run.method) on \(run.dataset)",
        run.imbalanceRatio.map { "imbalance ratio \(Format.ratio($0))" },
        final.map { "epoch \($0.epoch + 1)" + (run.plannedEpochs.map { " of \($0)" } ?? "") },
        final.map { "test accuracy \(Format.percent($0.test.accuracy, digits: 2))" },
      ]
    }
    let comment = facts.compactMap { $0 }.joined(separator: ", ").replacingOccurrences(of: "\n", with: " ")
    return ["# \(comment)", genotype.pythonModule(name: name)].joined(separator: "\n")
  }

  // MARK: CSV

  /// The column names of `table`. A search run's steps have the validation loss and the architecture learning
  /// rates; a training run's have the auxiliary head's loss and the drop-path probability instead.
  public func columns(of table: Table) -> [String] {
    let rates = run.components.map { "arch_lr_\($0.rawValue)" }
    switch (table, isTraining) {
    case (.steps, false):
      return [
        "global_step", "epoch", "step", "train_loss", "validation_loss", "train_loss_instance", "train_loss_class",
        "weight_lr", "mu",
      ] + rates + ["images_per_s"]
    case (.steps, true):
      return [
        "global_step", "epoch", "step", "train_loss", "auxiliary_loss", "train_loss_instance", "train_loss_class",
        "weight_lr", "drop_path", "mu", "images_per_s",
      ]
    case (.epochs, false):
      return [
        "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "many_acc", "medium_acc",
        "few_acc",
      ] + classColumns + ["weight_lr", "mu"] + rates + ["seconds"]
    case (.epochs, true):
      return [
        "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "many_acc", "medium_acc", "few_acc",
      ] + classColumns + ["weight_lr", "drop_path", "mu", "seconds"]
    }
  }

  private var classColumns: [String] { classNames.map { "acc_class_\($0)" } }

  private var classNames: [String] {
    if let names = run.started?.classNames, !names.isEmpty { return names }
    return (0..<(run.epochs.map(\.perClassAccuracy.count).max() ?? 0)).map(String.init)
  }

  /// The rows of `table` as text fields, in the order of `columns(of:)`. Epochs and steps count from 1 and
  /// `global_step` from 1, as the console and the dashboard count; a missing value is an empty field.
  public func rows(of table: Table) -> [[String]] {
    let number = Format.shortest
    func optional(_ value: Double?) -> String { value.map(number) ?? "" }
    func rates(_ values: ScheduleValues) -> [String] {
      isTraining ? [] : run.components.map { optional(values.architectureLearningRates[$0]) }
    }
    func schedule(_ values: ScheduleValues) -> [String] {
      [number(values.weightLearningRate)] + (isTraining ? [optional(values.dropPath)] : []) + [number(values.mu)]
    }
    switch table {
    case .steps:
      return run.steps.map { s in
        ["\(s.globalStep + 1)", "\(s.epoch + 1)", "\(s.step + 1)", number(s.trainLoss)]
          + [optional(isTraining ? s.auxiliaryLoss : s.validationLoss)]
          + [optional(s.trainLossInstance), optional(s.trainLossClass)]
          + schedule(s.values) + rates(s.values) + [number(s.imagesPerSecond)]
      }
    case .epochs:
      let classCount = classNames.count
      return run.epochs.map { e in
        var row = ["\(e.epoch + 1)"]
        let splits: [SplitMetrics?] = isTraining ? [e.train, e.test] : [e.train, e.validation, e.test]
        row += splits.flatMap { [optional($0?.loss), optional($0?.accuracy)] }
        row += ComparisonReport.groups.map { optional(e.groupAccuracy[$0]) }
        row += (0..<classCount).map { $0 < e.perClassAccuracy.count ? number(e.perClassAccuracy[$0]) : "" }
        row += schedule(e.values) + rates(e.values) + [number(e.seconds)]
        return row
      }
    }
  }

  /// `table` as RFC 4180 CSV with a header record.
  public func csv(_ table: Table) -> String {
    ([columns(of: table)] + rows(of: table)).map(CSVField.record).joined()
  }

  // MARK: Files

  /// The file name of the genotype when writing into a directory.
  public static let genotypeFileName = "genotype.py"

  /// Writes the genotype (if `genotype`, as `genotype.py`) and `tables` (as `steps.csv`, `epochs.csv`) into
  /// `directory`, created if needed; returns the files written.
  @discardableResult
  public func write(genotype: Bool, name: String? = nil, tables: [Table], to directory: URL) throws -> [URL] {
    var files: [(String, String)] = []
    if genotype { files.append((Self.genotypeFileName, try genotypePython(name: name))) }
    for table in tables { files.append((table.fileName, csv(table))) }
    return try Self.write(files, to: directory)
  }
}
