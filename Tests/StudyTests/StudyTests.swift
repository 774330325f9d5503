import Foundation
import Study
import Testing

@Suite struct StudyTests {
  static let base = """
    preset = "tiny"
    [data]
    dataset = "synthetic"
    [study]
    name = "unit"
    [grid]

    """

  static func study(_ grid: String, extra: String = "") throws -> Study {
    try Study(text: base + grid + "\n" + extra, source: "/tmp/unit-study.toml")
  }

  @Test func gridPointsAreTheCartesianProduct() throws {
    let study = try Self.study("method = [\"darts\", \"hls\"]\nseed = [0, 1, 2]")
    let runs = try study.runs()
    #expect(runs.count == 6)
    #expect(runs.map { $0.value("method")! } == ["darts", "darts", "darts", "hls", "hls", "hls"])
    #expect(runs.map { $0.value("seed")! } == ["0", "1", "2", "0", "1", "2"])
    #expect(runs.map { $0.search.data.seed } == [0, 1, 2, 0, 1, 2])
    #expect(Set(runs.map(\.id)).count == 6)
    #expect(runs.allSatisfy { $0.training != nil })
    #expect(study.directory.path == "/tmp/unit")
    #expect(runs[3].id.hasPrefix("hls-") && runs[3].directory.path.hasPrefix("/tmp/unit/runs/"))
  }

  @Test func addingAValueKeepsTheOtherRunsIDs() throws {
    let before = try Self.study("method = [\"darts\"]\nseed = [0, 1]").runs().map(\.id)
    let after = try Self.study("method = [\"darts\"]\nseed = [0, 1, 2]").runs().map(\.id)
    #expect(Array(after.prefix(2)) == before)
    // Threads decide speed, not the experiment: they do not change an id.
    let threaded = try Self.study("method = [\"darts\"]\nseed = [0, 1]", extra: "threads = 1").runs().map(\.id)
    #expect(threaded == before)
    // Any other setting does.
    let longer = try Self.study("method = [\"darts\"]\nseed = [0, 1]\n[search]\nepochs = 5").runs().map(\.id)
    #expect(Set(longer).isDisjoint(with: before))
  }

  @Test func singleHeadPointsAtEveryMuShareOneRun() throws {
    let runs = try Self.study("method = [\"darts\", \"darts-rw\", \"hls\"]\nmu = [\"constant 0.3\", \"constant 0.7\"]")
      .runs()
    #expect(runs.count == 6)
    // mu does not reach a single-head search: darts and darts-rw run once each, hls once per mu.
    #expect(runs[0].id == runs[1].id && runs[2].id == runs[3].id && runs[0].id != runs[2].id)
    #expect(runs[4].id != runs[5].id)
    #expect(runs[1].search.schedules.mu == .constant(0.7))
    // Unless a multiplier it reads follows mu: then mu changes its search.
    let following = try Self.study(
      "method = [\"darts\"]\nmu = [\"constant 0.3\", \"constant 0.7\"]", extra: "[schedules]\nbackbone = \"mu\""
    ).runs()
    #expect(following[0].id != following[1].id)
  }

  @Test func axesNameSettingsByPathOrUniqueKey() throws {
    let study = try Self.study("imbalance_ratio = [10, 100]\n\"train.epochs\" = [1, 2]")
    let runs = try study.runs()
    #expect(runs.map(\.search.data.imbalanceRatio) == [10, 10, 100, 100])
    #expect(runs.map { $0.training!.epochs } == [1, 2, 1, 2])
  }

  @Test func badGridsSayWhatIsWrong() {
    #expect(throws: StudyError.self) { try Self.study("colour = [1, 2]") }
    #expect(throws: StudyError.self) { try Self.study("method = [\"nonsense\"]").runs() }
    #expect(throws: StudyError.self) {
      try Study(
        text: Self.base.replacingOccurrences(of: "name = \"unit\"", with: "train = false") + "\"train.epochs\" = [1]",
        source: "/tmp/x.toml"
      ).runs()
    }
    #expect(throws: StudyError.self) {
      try Study(text: Self.base.replacingOccurrences(of: "name = \"unit\"", with: "speed = 3"), source: "/tmp/x.toml")
    }
  }

  @Test func withoutTrainingTheRunsOnlySearch() throws {
    let text = Self.base.replacingOccurrences(of: "name = \"unit\"", with: "train = false") + "seed = [0]"
    let runs = try Study(text: text, source: "/tmp/s.toml").runs()
    #expect(runs.count == 1 && runs[0].training == nil)
  }
}
