import RunEvents
import Testing

@testable import Search

@Suite struct ConfigurationTests {
  @Test func presets() {
    let paper = SearchConfiguration(preset: .paper)
    #expect(paper.initChannels == 16 && paper.layers == 8 && paper.batchSize == 64 && paper.epochs == 50)
    let demo = SearchConfiguration(preset: .demo)
    #expect(demo.method == .hls && demo.dataset == .fashionMNIST)
  }

  @Test func methodDefaults() {
    let hls = SearchMethod.hls.defaultSchedules()
    #expect(hls.mu == .cosine(from: 1, to: 0))
    #expect(hls.architectureMultipliers[.class] == .oneMinusMu)
    #expect(hls.architectureMultipliers[.normal] == .mu)
    let bbn = SearchMethod.bbnDARTS.defaultSchedules()
    #expect(bbn.mu == .parabolic(from: 1, to: 0))
    #expect(bbn.architectureMultipliers[.class] == .constant(1))
    #expect(SearchMethod.dartsRS.instanceSampler == .classBalanced)
    #expect(SearchMethod.dartsRW.reweightsLoss)
    #expect(!SearchMethod.darts.isTwoHead && SearchMethod.hls.isTwoHead)
  }

  @Test func tomlRoundTrip() throws {
    var c = SearchConfiguration(preset: .tiny, method: .bbnDARTS)
    c.seed = 42
    c.imbalanceRatio = 50
    c.schedules = c.resolvedSchedules
    c.schedules?.mu = .linear(from: 1, to: 0)
    let text = c.tomlText()
    #expect(text.contains("method = 'bbn-darts'") || text.contains("method = \"bbn-darts\""))
    let back = try SearchConfiguration.parse(toml: text, over: SearchConfiguration())
    #expect(back == c)
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
    let c = try SearchConfiguration.parse(toml: text, over: SearchConfiguration(preset: .demo))
    #expect(c.epochs == 7)
    #expect(c.resolvedSchedules.mu == .linear(from: 1, to: 0))
    #expect(c.resolvedSchedules.architectureMultipliers[.class] == .constant(0.5))
    #expect(c.resolvedSchedules.architectureMultipliers[.normal] == .mu)
  }

  @Test(arguments: [
    ("epochs = 3", "unknown setting 'epochs'"),
    ("[search]\nepochs = \"many\"", "search.epochs must be an integer"),
    ("[search]\nepochs = 0", "epochs must be in 1...10000"),
    ("method = \"nas\"", "method must be one of darts, darts-rs, darts-rw, bbn-darts, hls"),
    ("[schedules]\nmu = \"cosine 2 0\"", "mu value 2 is outside [0, 1]"),
    ("[schedules]\nmu = \"wiggle 1\"", "unknown schedule kind 'wiggle'"),
    ("[search\nepochs = 3", "line 1"),
    ("[data]\nimbalance_ratio = 0.5", "imbalance_ratio must be at least 1"),
  ])
  func invalidConfigurationsSayWhatIsWrong(_ text: String, _ expected: String) {
    do {
      _ = try SearchConfiguration.parse(toml: text, over: SearchConfiguration(), source: "my.toml")
      Issue.record("accepted: \(text)")
    } catch {
      #expect("\(error)".contains(expected), "\(error)")
      #expect("\(error)".hasPrefix("my.toml") || "\(error)".contains("must be"), "\(error)")
    }
  }
}

@Suite struct GenotypeTests {
  static let primitives = Primitive.allCases.map(\.rawValue)

  /// A row whose weight is `w` on op `name` and small elsewhere.
  static func row(_ name: String, _ w: Double, none: Double = 0) -> [Double] {
    primitives.map { $0 == name ? w : ($0 == "none" ? none : 0.01) }
  }

  @Test func keepsTheTwoStrongestEdgesAndIgnoresNone() {
    var weights: [[Double]] = []
    // node 0: edges 0, 1
    weights += [Self.row("sep_conv_3x3", 0.5), Self.row("skip_connect", 0.3)]
    // node 1: edges 2 (from 0), 3 (from 1), 4 (from node 0); edge 3 has a huge `none`, which must not count
    weights += [Self.row("max_pool_3x3", 0.2), Self.row("dil_conv_3x3", 0.1, none: 0.9), Self.row("sep_conv_5x5", 0.6)]
    // node 2: edges 5...8
    weights += [
      Self.row("avg_pool_3x3", 0.4), Self.row("dil_conv_5x5", 0.7), Self.row("skip_connect", 0.2),
      Self.row("sep_conv_3x3", 0.05),
    ]
    // node 3: edges 9...13, a tie between 9 and 12 goes to the earlier edge
    weights += [
      Self.row("dil_conv_3x3", 0.3), Self.row("max_pool_3x3", 0.1), Self.row("sep_conv_5x5", 0.2),
      Self.row("skip_connect", 0.3), Self.row("avg_pool_3x3", 0.05),
    ]
    let g = GenotypeDerivation.derive(weights: weights, primitives: Self.primitives)
    #expect(
      g.pythonList
        == "[('sep_conv_3x3', 0), ('skip_connect', 1), ('sep_conv_5x5', 2), ('max_pool_3x3', 0), "
        + "('dil_conv_5x5', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 0), ('skip_connect', 3)]")
    #expect(g.concat == [2, 3, 4, 5])
  }

  @Test func opsAreLookedUpByName() {
    // The same weights with the primitive columns reversed give the same genotype.
    let weights = (0..<14).map { e in Self.primitives.indices.map { Double(($0 * 7 + e * 3) % 11) } }
    let reversedNames = Array(Self.primitives.reversed())
    let reversedWeights = weights.map { Array($0.reversed()) }
    #expect(
      GenotypeDerivation.derive(weights: weights, primitives: Self.primitives)
        == GenotypeDerivation.derive(weights: reversedWeights, primitives: reversedNames))
  }
}
