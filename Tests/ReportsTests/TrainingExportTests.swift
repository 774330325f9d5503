import Architecture
import Foundation
import Presentation
import Reports
import RunEvents
import RunFixtures
import RunStore
import Testing

/// Exports and reports of training runs (`tailnas train`): the trained genotype, the tables with the auxiliary
/// loss and drop path, the schedules and cell figures, and the report's search-and-training rows.
@Suite struct TrainingExportTests {
  typealias F = ReportFixtures

  static func training(twoHead: Bool = true, id: String = "20240101-120000-hls/train") -> RunSummary {
    RunSummary(
      id: id,
      events: F.trainingRun(
        id: id, source: "20240101-120000-hls", sourceEpoch: 2, twoHead: twoHead, accuracies: [0.5, 0.7, 0.65]))
  }

  @Test func theGenotypeIsTheOneTrainedAndReadsBack() throws {
    let export = RunExport(run: Self.training())
    let python = try export.genotypePython(name: "TRAINED")
    #expect(
      python.hasPrefix(
        "# tailnas training run 20240101-120000-hls/train: the genotype of 20240101-120000-hls, epoch 3 on "
          + "synthetic, imbalance ratio 100, recipe bbn, trained 3 epochs, test accuracy 65.00%\n"))
    let parsed = try GenotypeParser.parseFile(python, source: "genotype.py")
    #expect(parsed.map(\.name) == ["TRAINED"])
    #expect(parsed.first?.genotype == (try export.genotype()))
    #expect(parsed.first?.genotype.isTwoHead == true)
  }

  @Test func tablesHaveTheAuxiliaryLossAndDropPathInsteadOfTheSearchColumns() {
    let export = RunExport(run: Self.training())
    #expect(
      export.columns(of: .steps) == [
        "global_step", "epoch", "step", "train_loss", "auxiliary_loss", "train_loss_instance", "train_loss_class",
        "weight_lr", "drop_path", "mu", "images_per_s",
      ])
    let steps = export.rows(of: .steps)
    #expect(steps.count == 6)
    #expect(steps[0] == ["1", "1", "1", "2", "2.1", "1.9", "2.2", "0.025", "0", "1", "300"])
    #expect(steps[2][8] == Format.shortest(0.2 / 3), "drop path ramps linearly from 0 over the epochs")
    let epochs = export.columns(of: .epochs)
    #expect(
      epochs.prefix(8) == [
        "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "many_acc", "medium_acc", "few_acc",
      ])
    #expect(epochs.suffix(4) == ["weight_lr", "drop_path", "mu", "seconds"])
    #expect(!epochs.contains("val_loss"))
    #expect(export.rows(of: .epochs).allSatisfy { $0.count == epochs.count })
  }

  @Test func figuresAreTheChartsWithoutAlphasAndTheSchedulesShowDropPath() throws {
    let export = RunExport(run: Self.training())
    let figures = try export.figures()
    #expect(figures.map(\.fileName) == ["loss.svg", "accuracy.svg", "schedules.svg"])
    let schedules = figures[2].document.xml
    #expect(schedules.contains("drop-path probability"))
    #expect(schedules.contains("mu (instance-branch weight)"), "the bbn recipe has a mu schedule")
    #expect(!schedules.contains("architecture learning rates"))
    let loss = figures[0].document.xml
    #expect(loss.contains("auxiliary head"))
    #expect(!loss.contains(">validation<"), "a training has no validation split, and no empty legend entry")
    let plain = try RunExport(run: Self.training(twoHead: false)).figures()[2].document.xml
    #expect(!plain.contains("mu (instance-branch weight)"))
  }

  @Test func cellsAreWrittenAsDOTOneFilePerCell() throws {
    let directory = try temporaryDirectory()
    let files = try RunExport(run: Self.training()).writeCellDOT(to: directory)
    #expect(
      files.map(\.lastPathComponent) == ["cell-normal.dot", "cell-reduce.dot", "cell-instance.dot", "cell-class.dot"])
    let text = try String(contentsOf: files[0], encoding: .utf8)
    #expect(text.hasPrefix("digraph {\n\tgraph [label=\"backbone normal cell\""))
    #expect(text.contains("\"c_{k-2}\" -> 0 [label=sep_conv_3x3 fillcolor=gray]"))
  }

  @Test func withoutGraphvizTheCellFiguresFailBeforeWritingAnything() throws {
    let directory = try temporaryDirectory().appendingPathComponent("figures")
    var graphviz = Graphviz(environment: ["PATH": "/nonexistent"])
    graphviz.executable = nil  // as on a machine without the graphviz package
    #expect(throws: GraphvizError.self) {
      try RunExport(run: Self.training()).writeCellFigures(to: directory, graphviz: graphviz)
    }
    #expect(!FileManager.default.fileExists(atPath: directory.path))
  }

  @Test(.enabled(if: Graphviz().isAvailable, "needs Graphviz's dot (Debian: graphviz)"))
  func graphvizDrawsEachCell() throws {
    let directory = try temporaryDirectory()
    let files = try RunExport(run: Self.training()).writeCellFigures(to: directory)
    #expect(files.count == 4)
    let svg = try String(contentsOf: files[1], encoding: .utf8)
    #expect(svg.contains("<svg") && svg.contains("backbone reduction cell") && svg.contains("c_{k}"))
  }

  @Test func aSearchRunExportsItsFinalGenotypesCells() throws {
    let search = RunSummary(
      id: "s-hls", events: F.completeRun(id: "s-hls", method: "hls", twoHead: true, accuracies: [0.4, 0.5]))
    let names = try RunExport(run: search).cellDiagrams().map(\.name)
    #expect(names == ["cell-normal", "cell-reduce", "cell-instance", "cell-class"])
  }
}

@Suite struct TrainingReportTests {
  typealias F = ReportFixtures

  static func pairs() -> [(search: RunSummary?, training: RunSummary?)] {
    let search = RunSummary(
      id: "s-hls", events: F.completeRun(id: "s-hls", method: "hls", twoHead: true, accuracies: [0.3, 0.45, 0.4]))
    let first = RunSummary(
      id: "s-hls/train",
      events: F.trainingRun(
        id: "s-hls/train", source: "s-hls", sourceEpoch: 2, twoHead: true,
        accuracies: [0.5, 0.72]))
    let second = RunSummary(
      id: "s-hls/train-2",
      events: F.trainingRun(
        id: "s-hls/train-2", source: "s-hls", sourceEpoch: 2, twoHead: true,
        accuracies: [0.55, 0.6]))
    let untrained = RunSummary(
      id: "d-darts", events: F.completeRun(id: "d-darts", method: "darts", twoHead: false, accuracies: [0.35]))
    let byHand = RunSummary(
      id: "h-train", events: F.trainingRun(id: "h-train", source: nil, twoHead: false, accuracies: [0.61]))
    return [(search, first), (search, second), (untrained, nil), (nil, byHand)]
  }

  @Test func searchAndTrainingSideBySide() {
    let text = ComparisonReport(pairs: Self.pairs()).rendered(as: .text)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      lines[0]
        == "run      method  dataset    ratio  search top-1  search epochs  search time  trained run  recipe   top-1  "
        + "  many  medium     few  params  epochs   time")
    #expect(
      lines[1]
        == "s-hls    hls     synthetic    100        45.00%              3           5s  train        bbn     72.00%  "
        + "82.00%  72.00%  62.00%  0.123M     2/2  1m00s")
    #expect(lines[2].contains("train-2") && lines[2].contains("60.00%"), "the training's last epoch, not its best")
    #expect(lines[3].hasPrefix("d-darts") && lines[3].hasSuffix("  -       -       -       -       -       -      -"))
    #expect(lines[4].hasPrefix("h-train  darts") && lines[4].contains("        -              -            -  h-train"))
    #expect(
      text.contains("\ngenotypes:\ns-hls train, train-2 (the genotype of epoch 3):\n  normal    [('sep_conv_3x3', 0)"))
    #expect(text.contains("\nd-darts (darts, best epoch 1, not trained):\n"))
    #expect(text.contains("\nh-train (a genotype given by hand):\n"))
  }

  @Test func csvHasBothPhasesColumns() {
    let csv = ComparisonReport(pairs: Self.pairs()).rendered(as: .csv)
    let records = csv.split(separator: "\r\n").map(String.init)
    #expect(
      records[0]
        == "run,method,dataset,imbalance_ratio,search_best_epoch,search_overall,search_epochs,search_seconds,"
        + "trained_run,recipe,trained_epochs,trained_overall,trained_many,trained_medium,trained_few,parameters,"
        + "trained_seconds")
    #expect(records[1] == "s-hls,hls,synthetic,100,2,0.45,3,4.5,s-hls/train,bbn,2,0.72,0.82,0.72,0.62,123456,60")
    #expect(records[3] == "d-darts,darts,synthetic,100,1,0.35,1,1.5,,,,,,,,,")
  }

  @Test func markdownIsOneTable() {
    let markdown = ComparisonReport(pairs: Self.pairs()).rendered(as: .markdown)
    #expect(markdown.hasPrefix("| run | method | dataset | ratio | search top-1 |"))
    #expect(markdown.contains("\n| s-hls | hls | synthetic | 100 | 45.00% | 3 | 5s | train | bbn | 72.00% |"))
  }

  @Test func searchesWithoutTrainingKeepTheSearchTable() {
    let search = RunSummary(
      id: "d-darts", events: F.completeRun(id: "d-darts", method: "darts", twoHead: false, accuracies: [0.35]))
    let text = ComparisonReport(pairs: [(search, nil)]).rendered(as: .text)
    #expect(text.hasPrefix("run      method  dataset    ratio  overall    many  medium     few  best epoch\n"))
  }
}
