import Architecture
import Foundation
import Reports
import RunEvents
import RunFixtures
import RunStore
import Testing

@Suite struct ReportTests {
  typealias F = ReportFixtures

  static func short(_ a: (Primitive, Int), _ b: (Primitive, Int)) -> CellGenotype {
    CellGenotype(edges: [GenotypeEdge(op: a.0, input: a.1), GenotypeEdge(op: b.0, input: b.1)], concat: [2])
  }

  static let genotypes: [ArchitectureComponent: CellGenotype] = [
    .normal: short((.sep_conv_3x3, 0), (.skip_connect, 1)),
    .reduce: short((.max_pool_3x3, 0), (.max_pool_3x3, 1)),
    .instance: short((.sep_conv_5x5, 1), (.dil_conv_3x3, 0)),
    .class: short((.skip_connect, 0), (.avg_pool_3x3, 1)),
  ]

  /// Three runs: plain DARTS (best epoch 2), two-head HLS (best epoch 2 of 3) and a run without epochs.
  static func runs() -> [RunSummary] {
    func run(_ id: String, _ method: String, twoHead: Bool, _ epochs: [(Double, [Double])]) -> RunSummary {
      var events: [RunEvent] = [.started(F.started(id: id, method: method, twoHead: twoHead, epochs: 3))]
      for (index, (accuracy, groups)) in epochs.enumerated() {
        events.append(
          .epoch(
            F.epoch(index, accuracy: accuracy, groups: groups, twoHead: twoHead, epochs: 3, genotypes: genotypes)))
      }
      return RunSummary(id: id, events: events)
    }
    return [
      run("r1-darts", "darts", twoHead: false, [(0.4, [0.5, 0.4, 0.3]), (0.55, [0.65, 0.55, 0.45])]),
      run("r2-hls", "hls", twoHead: true, [(0.5, [0.6, 0.5, 0.4]), (0.7, [0.8, 0.7, 0.6]), (0.6, [0.7, 0.6, 0.5])]),
      run("r3-darts", "darts", twoHead: false, []),
    ]
  }

  @Test func theBestEpochIsTheOneWithTheBestOverallTestAccuracy() {
    let report = ComparisonReport(runs: Self.runs())
    #expect(report.rows.map(\.bestEpochNumber) == [2, 2, nil])
    #expect(report.rows[1].groupAccuracy("few") == 0.6)
    #expect(report.runsWithoutEpochs == ["r3-darts"])
  }

  @Test func text() {
    let text = ComparisonReport(runs: Self.runs()).rendered(as: .text)
    #expect(
      text == """
        run       method  dataset    ratio  overall    many  medium     few  best epoch
        r1-darts  darts   synthetic    100   55.00%  65.00%  55.00%  45.00%           2
        r2-hls    hls     synthetic    100   70.00%  80.00%  70.00%  60.00%           2
        r3-darts  darts   synthetic    100        -       -       -       -           -

        genotypes at the best epoch:
        r1-darts (darts, epoch 2):
          normal  [('sep_conv_3x3', 0), ('skip_connect', 1)]
          reduce  [('max_pool_3x3', 0), ('max_pool_3x3', 1)]
        r2-hls (hls, epoch 2):
          normal    [('sep_conv_3x3', 0), ('skip_connect', 1)]
          reduce    [('max_pool_3x3', 0), ('max_pool_3x3', 1)]
          instance  [('sep_conv_5x5', 1), ('dil_conv_3x3', 0)]
          class     [('skip_connect', 0), ('avg_pool_3x3', 1)]
        r3-darts (darts): no epochs yet

        """)
  }

  @Test func markdown() {
    let markdown = ComparisonReport(runs: Array(Self.runs().prefix(2))).rendered(as: .markdown)
    #expect(
      markdown == """
        | run | method | dataset | ratio | overall | many | medium | few | best epoch |
        |---|---|---|---:|---:|---:|---:|---:|---:|
        | r1-darts | darts | synthetic | 100 | 55.00% | 65.00% | 55.00% | 45.00% | 2 |
        | r2-hls | hls | synthetic | 100 | 70.00% | 80.00% | 70.00% | 60.00% | 2 |

        ### Genotypes at the best epoch

        **r1-darts** (darts, epoch 2)

        - normal: `[('sep_conv_3x3', 0), ('skip_connect', 1)]`
        - reduce: `[('max_pool_3x3', 0), ('max_pool_3x3', 1)]`

        **r2-hls** (hls, epoch 2)

        - normal: `[('sep_conv_3x3', 0), ('skip_connect', 1)]`
        - reduce: `[('max_pool_3x3', 0), ('max_pool_3x3', 1)]`
        - instance: `[('sep_conv_5x5', 1), ('dil_conv_3x3', 0)]`
        - class: `[('skip_connect', 0), ('avg_pool_3x3', 1)]`

        """)
  }

  @Test func csv() {
    let csv = ComparisonReport(runs: Self.runs()).rendered(as: .csv)
    let header =
      "run,method,dataset,imbalance_ratio,best_epoch,overall,many,medium,few,"
      + "genotype_normal,genotype_reduce,genotype_instance,genotype_class\r\n"
    let r1 =
      "r1-darts,darts,synthetic,100,2,0.55,0.65,0.55,0.45,"
      + "\"[('sep_conv_3x3', 0), ('skip_connect', 1)]\",\"[('max_pool_3x3', 0), ('max_pool_3x3', 1)]\",,\r\n"
    let r2 =
      "r2-hls,hls,synthetic,100,2,0.7,0.8,0.7,0.6,"
      + "\"[('sep_conv_3x3', 0), ('skip_connect', 1)]\",\"[('max_pool_3x3', 0), ('max_pool_3x3', 1)]\","
      + "\"[('sep_conv_5x5', 1), ('dil_conv_3x3', 0)]\",\"[('skip_connect', 0), ('avg_pool_3x3', 1)]\"\r\n"
    let r3 = "r3-darts,darts,synthetic,100,,,,,,,,,\r\n"
    #expect(csv == header + r1 + r2 + r3)
  }

  @Test func csvFieldsWithCommasAndQuotesAreQuotedPerRFC4180() {
    let events: [RunEvent] = [.started(F.started(id: "x", method: "my \"best\", method", twoHead: false, epochs: 1))]
    let csv = ComparisonReport(runs: [RunSummary(id: "run,1", events: events)]).rendered(as: .csv)
    let record = csv.split(separator: "\r\n")[1]
    #expect(record.hasPrefix("\"run,1\",\"my \"\"best\"\", method\",synthetic,"))
  }
}

@Suite struct RunListingTableTests {
  @Test func theListingPrintsAnAlignedTable() throws {
    let runs = try temporaryDirectory()
    try ReportFixtures.write(
      ReportFixtures.completeRun(id: "b-hls", method: "hls", twoHead: true, accuracies: [0.3, 0.61]), id: "b-hls",
      in: runs)
    try ReportFixtures.write(
      ReportFixtures.completeRun(id: "a-darts", method: "darts", twoHead: false, accuracies: [0.5]), id: "a-darts",
      in: runs)
    #expect(
      RunListing(directory: runs).table == """
        id       method  dataset    ratio  status    epochs  best acc
        a-darts  darts   synthetic    100  finished     1/1    50.00%
        b-hls    hls     synthetic    100  finished     2/2    61.00%

        """)
  }
}
