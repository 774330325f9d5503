import Settings
import Testing

/// A small configuration to exercise the table on its own.
struct Sample: Equatable {
  var count = 3
  var rate = 0.5
  var mode = Mode.fast
  var name: String?
  var limit: Int?
  var verbose = false

  enum Mode: String, CaseIterable { case fast, slow }

  static let table = SettingsTable<Sample>([
    .integer(nil, "count", \.count, range: .integers(1...10), help: "How many."),
    .number("tuning", "rate", \.rate, range: .halfOpen(0..<1), help: "How fast."),
    .choice("tuning", "mode", \.mode, help: "Which way."),
    .optionalText("tuning", "name", \.name, unset: "none", help: "What to call it."),
    .optionalInteger("tuning", "limit", \.limit, range: .integers(atLeast: 1), unset: "no limit", help: "A cap."),
    .boolean("tuning", "verbose", \.verbose, help: "Say more."),
  ])
}

@Suite struct SettingsTableTests {
  @Test func tomlRoundTripsWithShortestNumbers() throws {
    var s = Sample()
    s.rate = 0.1 + 0.2
    s.name = "a \"quoted\" name\n"
    s.limit = 7
    s.verbose = true
    let text = Sample.table.toml(s)
    #expect(text.hasPrefix("count = 3\n\n[tuning]\n"))
    #expect(text.contains("rate = 0.30000000000000004\n"))
    #expect(text.contains("name = \"a \\\"quoted\\\" name\\n\""))
    var back = Sample()
    try Sample.table.apply(Sample.table.entries(toml: text, source: "s.toml"), to: &back)
    #expect(back == s)
  }

  @Test func wholeNumbersAreWrittenAsTOMLFloatsWhereTheSettingIsANumber() throws {
    var s = Sample()
    s.rate = 0
    #expect(Sample.table.toml(s).contains("rate = 0.0\n"))
  }

  @Test func flagsTakeSpaceOrEqualsAndNegativeValuesAndBooleanForms() throws {
    var s = Sample()
    try Sample.table.apply(
      Sample.table.entries(arguments: ["--count", "4", "--rate=0.25", "--mode", "slow", "--verbose", "--limit", "2"]),
      to: &s)
    #expect(s == Sample(count: 4, rate: 0.25, mode: .slow, name: nil, limit: 2, verbose: true))
    try Sample.table.apply(Sample.table.entries(arguments: ["--no-verbose"]), to: &s)
    #expect(!s.verbose)
    #expect(throws: SettingError("--count must be in 1...10, got -1")) {
      var t = Sample()
      try Sample.table.apply(Sample.table.entries(arguments: ["--count", "-1"]), to: &t)
    }
  }

  @Test func problemsNameTheSettingAndTheRange() {
    var s = Sample()
    s.count = 0
    s.rate = 1
    #expect(Sample.table.problems(s) == ["count must be in 1...10, got 0", "tuning.rate must be in [0, 1), got 1"])
  }

  @Test func unknownKeysAndFlagsSuggestTheNearestSetting() {
    #expect(throws: SettingError("f.toml: unknown setting 'tuning.rte'; did you mean 'tuning.rate'?")) {
      try Sample.table.entries(toml: "[tuning]\nrte = 1\n", source: "f.toml")
    }
    #expect(throws: SettingError("unknown option '--mod'; did you mean '--mode'?")) {
      try Sample.table.entries(arguments: ["--mod", "fast"])
    }
    // Keys another table knows are skipped.
    #expect(
      (try? Sample.table.entries(toml: "[other]\nx = 1\n", source: "f", isKnownElsewhere: { $0 == "other.x" }))?
        .isEmpty == true)
  }

  @Test func helpListsEverySettingWithItsRangeAndDefault() {
    let help = Sample.table.help(defaults: [("a", Sample()), ("b", Sample(count: 5))])
    #expect(help.contains("--count <n>"))
    #expect(help.contains("How many. Range 1...10. Default: a 3, b 5."))
    #expect(help.contains("A cap. At least 1. Default: no limit."))
    #expect(help.contains("Which way. One of fast, slow. Default: fast."))
  }
}
