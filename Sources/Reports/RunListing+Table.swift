import Presentation
import RunStore

extension RunListing {
  /// The listing as an aligned text table: id, method, data set, imbalance ratio, status, epochs done and
  /// the best test accuracy.
  public var table: String {
    let header = ["id", "method", "dataset", "ratio", "status", "epochs", "best acc"]
    let rows = runs.map { run -> [String] in
      [
        run.id, run.method, run.dataset, run.imbalanceRatio.map(Format.ratio) ?? "-", run.status.rawValue,
        "\(run.epochsDone)/\(run.plannedEpochs.map(String.init) ?? "?")",
        run.bestEpoch.map { Format.percent($0.test.accuracy, digits: 2) } ?? "-",
      ]
    }
    return TextTable(header: header, rows: rows, rightAligned: [3, 5, 6]).text
  }
}
