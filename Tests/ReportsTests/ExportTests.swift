import Architecture
import Foundation
import Reports
import RunEvents
import RunFixtures
import RunStore
import Testing

@Suite struct ExportTests {
  typealias F = ReportFixtures

  static func plainRun() -> RunSummary {
    RunSummary(
      id: "20240101-120000-darts",
      events: F.completeRun(id: "20240101-120000-darts", method: "darts", twoHead: false, accuracies: [0.4, 0.5]))
  }

  static func twoHeadRun() -> RunSummary {
    var events = F.completeRun(id: "20240101-120000-hls-2", method: "hls", twoHead: true, accuracies: [0.4, 0.6, 0.5])
    // A schedule edit in epoch 2, step 2 (global step 3).
    events.insert(
      .control(
        ControlApplied(
          command: .edit(ScheduleEdit(target: .mu, curve: .linear(from: 0.8, to: 0))), epoch: 1, globalStep: 3,
          previous: .cosine(from: 1, to: 0))), at: 8)
    return RunSummary(id: "20240101-120000-hls-2", events: events)
  }

  static let genotypeList =
    "[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('skip_connect', 0), ('sep_conv_5x5', 2), ('dil_conv_3x3', 1), "
    + "('skip_connect', 3), ('max_pool_3x3', 0), ('dil_conv_5x5', 4)]"

  @Test func genotypeOfAPlainRun() throws {
    let python = try RunExport(run: Self.plainRun()).genotypePython()
    let g = Self.genotypeList
    #expect(
      python == """
        # tailnas run 20240101-120000-darts: darts on synthetic, imbalance ratio 100, epoch 2 of 2, test accuracy 50.00%
        from collections import namedtuple

        Genotype = namedtuple('Genotype', 'normal normal_concat reduce reduce_concat')

        DARTS_20240101_120000 = Genotype(normal=\(g), normal_concat=[2, 3, 4, 5], reduce=\(g), reduce_concat=[2, 3, 4, 5])

        """)
  }

  @Test func genotypeOfATwoHeadRunListsBothHeads() throws {
    let python = try RunExport(run: Self.twoHeadRun()).genotypePython()
    let lines = python.split(separator: "\n").map(String.init)
    let g = Self.genotypeList
    #expect(lines.count == 8)  // blank lines omitted by split
    #expect(lines[3].hasPrefix("HLS_20240101_120000_2 = Genotype(normal=\(g), normal_concat=[2, 3, 4, 5], reduce="))
    #expect(
      Array(lines.suffix(4)) == [
        "HLS_20240101_120000_2_INSTANCE_HEAD = \(g)", "HLS_20240101_120000_2_INSTANCE_HEAD_CONCAT = [2, 3, 4, 5]",
        "HLS_20240101_120000_2_CLASS_HEAD = \(g)", "HLS_20240101_120000_2_CLASS_HEAD_CONCAT = [2, 3, 4, 5]",
      ])
  }

  @Test func genotypeNamesArePythonIdentifiers() throws {
    let odd = RunSummary(
      id: "2024 weird/ünï-darts-rs",
      events: [.started(F.started(id: "x", method: "darts-rs", twoHead: false, epochs: 1))])
    let name = RunExport(run: odd).defaultGenotypeName
    #expect(name == "DARTS_RS_2024_WEIRD_N")
    #expect(RunExport.isPythonIdentifier(name))
    #expect(!RunExport.isPythonIdentifier("2abc"))
    #expect(!RunExport.isPythonIdentifier("class"))
    #expect(!RunExport.isPythonIdentifier("a-b"))
    #expect(try RunExport(run: Self.plainRun()).genotypePython(name: "MINE").contains("\nMINE = Genotype("))
    #expect(throws: RunExportError.invalidName("1x")) { try RunExport(run: Self.plainRun()).genotypePython(name: "1x") }
  }

  @Test func aRunWithoutEpochsHasNothingToExport() {
    let run = RunSummary(id: "n", events: [.started(F.started(id: "n", method: "darts", twoHead: false, epochs: 4))])
    #expect(throws: RunExportError.noEpochs(run: "n")) { try RunExport(run: run).genotypePython() }
    #expect(throws: RunExportError.noEpochs(run: "n")) { try RunExport(run: run).figures() }
    #expect(RunExport(run: run).csv(.epochs).split(separator: "\r\n").count == 1)
  }

  @Test func csvColumnsAndRowCounts() throws {
    let export = RunExport(run: Self.twoHeadRun())
    #expect(
      export.columns(of: .steps) == [
        "global_step", "epoch", "step", "train_loss", "validation_loss", "train_loss_instance", "train_loss_class",
        "weight_lr", "mu", "arch_lr_normal", "arch_lr_reduce", "arch_lr_instance", "arch_lr_class", "images_per_s",
      ])
    #expect(
      export.columns(of: .epochs) == [
        "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "many_acc", "medium_acc",
        "few_acc", "acc_class_0", "acc_class_1", "acc_class_2", "acc_class_3", "acc_class_4", "acc_class_5",
        "weight_lr", "mu", "arch_lr_normal", "arch_lr_reduce", "arch_lr_instance", "arch_lr_class", "seconds",
      ])
    let steps = export.csv(.steps).components(separatedBy: "\r\n").dropLast()
    let epochs = export.csv(.epochs).components(separatedBy: "\r\n").dropLast()
    #expect(steps.count == 1 + 6)
    #expect(epochs.count == 1 + 3)
    for record in steps { #expect(record.split(separator: ",", omittingEmptySubsequences: false).count == 14) }
    for record in epochs { #expect(record.split(separator: ",", omittingEmptySubsequences: false).count == 23) }
    #expect(steps[1] == "1,1,1,2.3,2.4,2.2,2.5,0.025,1,0.0003,0.0003,0.0003,0,120")
    let last = epochs[3].split(separator: ",").map(String.init)
    #expect(Array(last[0...3]) == ["3", "1.8", "0.4", "1.9"])  // 2.2 - 2 * 0.1, without its arithmetic noise
    #expect(Array(last[6...9]) == ["0.5", "0.6", "0.5", "0.4"])  // test_acc, many, medium, few

    let plain = RunExport(run: Self.plainRun())
    #expect(plain.columns(of: .steps).filter { $0.hasPrefix("arch_lr_") } == ["arch_lr_normal", "arch_lr_reduce"])
    #expect(plain.rows(of: .steps)[0][5] == "")  // no instance-branch loss in a plain run
  }

  @Test func filesAreWrittenIntoADirectory() throws {
    let directory = try temporaryDirectory().appendingPathComponent("out")
    let files = try RunExport(run: Self.twoHeadRun()).write(genotype: true, tables: [.steps, .epochs], to: directory)
    #expect(files.map(\.lastPathComponent) == ["genotype.py", "steps.csv", "epochs.csv"])
    for file in files { #expect(try Data(contentsOf: file).count > 100) }
  }
}
