import Architecture
import Datasets
import RunEvents
import Settings
import Testing

@testable import Search

@Suite struct ConfigurationTests {
  @Test func presets() {
    let paper = SearchConfiguration(preset: .paper)
    #expect(paper.initChannels == 16 && paper.layers == 8 && paper.batchSize == 64 && paper.epochs == 50)
    let demo = SearchConfiguration(preset: .demo)
    #expect(demo.method == .hls && demo.data.dataset == .fashionMNIST)
  }

  /// Without a preset flag or a preset in the file the sizes are the demo preset's, as the help says (a
  /// bare `tailnas search` once ran C 8 at batch 32 over the whole data set while calling itself demo).
  @Test func theDefaultIsTheDemoPreset() throws {
    let demo = SearchConfiguration(preset: .demo)
    #expect(try SearchConfiguration.resolve().tomlText() == demo.tomlText())
    let fromFile = try SearchConfiguration.resolve(file: ("method = \"darts\"\n", "test.toml"))
    #expect(fromFile.initChannels == demo.initChannels && fromFile.stepsPerEpoch == demo.stepsPerEpoch)
    #expect(fromFile.method == .darts)
  }

  @Test func methodDefaults() {
    let hls = SearchMethod.hls.defaultSchedules
    #expect(hls.mu == .cosine(from: 1, to: 0))
    #expect(hls.multiplier(.class) == .oneMinusMu)
    #expect(hls.multiplier(.backbone) == .mu)
    let bbn = SearchMethod.bbnDARTS.defaultSchedules
    #expect(bbn.mu == .parabolic(from: 1, to: 0))
    #expect(bbn.multiplier(.class) == .constant(1))
    #expect(SearchMethod.dartsRS.instanceSampler == .classBalanced)
    #expect(SearchMethod.dartsRW.reweightsLoss)
    #expect(!SearchMethod.darts.isTwoHead && SearchMethod.hls.isTwoHead)
  }

  @Test func tomlRoundTrip() throws {
    var c = SearchConfiguration(preset: .tiny, method: .bbnDARTS)
    c.data.seed = 42
    c.data.imbalanceRatio = 50
    c.scheduleOverrides.mu = .linear(from: 1, to: 0)
    c.scheduleOverrides.architectureLearningRate = 3e-4
    c.onNaN = .skip
    let text = c.tomlText()
    #expect(text.contains("method = \"bbn-darts\""))
    #expect(text.contains("lr = 0.0003\n"), "numbers as people write them:\n\(text)")
    #expect(text.contains("momentum = 0.9\n"))
    let back = try SearchConfiguration.parse(toml: text)
    #expect(back.schedules == c.schedules)
    #expect(back.tomlText() == text)
    #expect(back.data == c.data && back.epochs == c.epochs && back.onNaN == .skip)
  }

  @Test func tomlOverridesAndSchedules() throws {
    let text = """
      method = "hls"
      [search]
      epochs = 7
      [schedules]
      mu = "linear 1 0"
      class = "constant 0.5"
      """
    let c = try SearchConfiguration.parse(toml: text)
    #expect(c.epochs == 7)
    #expect(c.schedules.mu == .linear(from: 1, to: 0))
    #expect(c.schedules.multiplier(.class) == .constant(0.5))
    #expect(c.schedules.multiplier(.backbone) == .mu)
  }

  @Test func theWeightLearningRateIsOneScheduleWhateverSetsIt() throws {
    let flags = try SearchConfiguration.table.entries(arguments: [
      "--weight-lr", "0.05", "--weight-lr-min", "0.002", "--method", "darts",
    ])
    let c = try SearchConfiguration.resolve(flags: flags)
    #expect(c.schedules.weightLearningRate == .cosine(from: 0.05, to: 0.002))
    #expect(c.tomlText().contains("weight_lr = \"cosine 0.05 0.002\""))
    #expect(!c.tomlText().contains("lr_min"), "the schedule is the one source; lr_min only edits it")
    // A schedule without an end cannot take lr_min.
    let constant = try SearchConfiguration.table.entries(arguments: [
      "--weight-lr-schedule", "constant 0.01", "--weight-lr-min", "0.001",
    ])
    #expect(throws: SearchError.self) { try SearchConfiguration.resolve(flags: constant) }
  }

  @Test func aMethodChosenAfterASchedulesEditKeepsItsOwnDefaults() throws {
    let file = "method = \"darts\"\n[schedules]\nmu = \"constant 0.7\"\n"
    let flags = try SearchConfiguration.table.entries(arguments: ["--method", "hls"])
    let c = try SearchConfiguration.resolve(file: (file, "f.toml"), flags: flags)
    #expect(c.schedules.mu == .constant(0.7))
    #expect(c.schedules.multiplier(.class) == .oneMinusMu, "hls's class multiplier, not darts' missing one")
  }

  @Test func flagsOverrideTheFileInOrderAndThePresetFlagWins() throws {
    let file = "preset = \"demo\"\n[search]\nepochs = 7\n"
    let flags = try SearchConfiguration.table.entries(arguments: ["--preset", "tiny", "--epochs=9"])
    let c = try SearchConfiguration.resolve(file: (file, "f.toml"), flags: flags)
    #expect(c.preset == .tiny && c.data.dataset == .synthetic && c.epochs == 9)
  }

  @Test(arguments: [
    ("epochs = 3", "my.toml: unknown setting 'epochs'"),
    ("[search]\nepoch = 3", "did you mean 'search.epochs'?"),
    ("[search]\nepochs = \"many\"", "my.toml: search.epochs must be an integer (1...10000), got \"many\""),
    ("[search]\nepochs = 0", "my.toml: search.epochs must be in 1...10000, got 0"),
    ("method = \"nas\"", "method must be one of darts, darts-rs, darts-rw, bbn-darts, hls"),
    ("[schedules]\nmu = \"cosine 2 0\"", "mu value 2 is outside [0, 1]"),
    ("[schedules]\nmu = \"wiggle 1\"", "unknown schedule kind 'wiggle'"),
    ("[search\nepochs = 3", "my.toml: line 1"),
    ("[data]\nimbalance_ratio = 0.5", "data.imbalance_ratio must be at least 1, got 0.5"),
    ("[weights]\nmomentum = 1", "weights.momentum must be in [0, 1), got 1"),
    ("[groups]\nmany_above = 10", "must be given together"),
    ("[data]\nmax_per_class = 1", "data.max_per_class (--max-per-class) must be at least 2 for a search, got 1"),
  ])
  func invalidConfigurationsSayWhatIsWrong(_ text: String, _ expected: String) {
    do {
      _ = try SearchConfiguration.parse(toml: text, source: "my.toml")
      Issue.record("accepted: \(text)")
    } catch {
      #expect("\(error)".contains(expected), "\(error)")
    }
  }

  @Test(arguments: [
    (["--epochs", "-1"], "--epochs must be in 1...10000, got -1"),
    (["--epochs"], "--epochs needs a value (1...10000)"),
    (["--weight-lr", "10"], "--weight-lr must be in 0...1, got 10"),
    (["--arch-lr-class", "cosine 20 0"], "--arch-lr-class 'cosine 20 0': arch lr x class value 20 is outside [0, 10]"),
    (["--mu", "mu"], "--mu 'mu': mu cannot follow mu"),
    // One image per class left the architecture half empty and crashed the search.
    (["--max-per-class", "1"], "data.max_per_class (--max-per-class) must be at least 2 for a search, got 1"),
    (["--headles"], "unknown option '--headles'"),
    (["stray"], "unexpected argument 'stray'"),
  ])
  func invalidFlagsSayWhatIsWrong(_ arguments: [String], _ expected: String) {
    do {
      let flags = try SearchConfiguration.table.entries(arguments: arguments)
      _ = try SearchConfiguration.resolve(flags: flags)
      Issue.record("accepted: \(arguments)")
    } catch {
      #expect("\(error)".contains(expected), "\(error)")
    }
  }

  /// Data whose smallest class has one image gives a long tail of at most one image a class, whose architecture
  /// half was empty and crashed the search's samplers; it is a data error that says why.
  @Test func dataWithOneImageOfEachClassIsRefusedBeforeTheSearch() throws {
    let side = 4
    func dataset(_ name: String, perClass: Int) throws -> ImageDataset {
      let labels = (0..<(3 * perClass)).map { $0 % 3 }
      return try ImageDataset(
        name: name, channels: 1, height: side, width: side,
        pixels: [UInt8](repeating: 128, count: labels.count * side * side), labels: labels, classCount: 3,
        normalization: Normalization(mean: [0.5], std: [0.5]))
    }
    var configuration = SearchConfiguration(preset: .tiny)
    configuration.data.maxPerClass = nil
    let test = try dataset("one/test", perClass: 2)
    do {
      _ = try SearchData(train: try dataset("one/train", perClass: 1), test: test, configuration: configuration)
      Issue.record("a long tail of one image a class was accepted")
    } catch {
      #expect(error is DataError)
      #expect("\(error)".contains("architecture half would be empty"), "\(error)")
    }
    let two = try SearchData(train: try dataset("two/train", perClass: 2), test: test, configuration: configuration)
    #expect(!two.weightHalf.isEmpty && !two.architectureHalf.isEmpty)
  }

  @Test func everySettingHasAUniqueFlagAndPathAndHelp() {
    let settings = SearchConfiguration.table.settings
    #expect(Set(settings.map(\.flag)).count == settings.count)
    #expect(Set(settings.map(\.path)).count == settings.count)
    #expect(settings.allSatisfy { !$0.help.isEmpty })
    let help = SearchConfiguration.table.help(defaults: SearchConfiguration.presetDefaults)
    for setting in settings { #expect(help.contains(setting.flagName + " <")) }
    let words = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("--epochs <n> Search epochs. Range 1...10000. Default: demo 10, paper 50, tiny 3."))
  }
}
