import Architecture
import Testing

/// The checks Architecture makes once on its arguments (`require`) stop the process in every build, with a
/// counterpart of valid arguments for each that must run to the end.
@Suite struct RequirementExitTests {
  @Test func cellTopologyRefusesMoreOutputsThanNodes() async {
    await #expect(processExitsWith: .failure) {
      _ = CellTopology(steps: 2, multiplier: 3)
    }
  }

  @Test func cellTopologyTakesAsManyOutputsAsNodes() async {
    await #expect(processExitsWith: .success) {
      _ = CellTopology(steps: 3, multiplier: 3)
    }
  }

  @Test func derivationRefusesAWrongNumberOfAlphaRows() async {
    await #expect(processExitsWith: .failure) {
      let row = Primitive.allCases.map { _ in 1.0 / Double(Primitive.allCases.count) }
      _ = GenotypeDerivation.derive(weights: Array(repeating: row, count: 13))
    }
  }

  @Test func derivationTakesOneAlphaRowPerEdge() async {
    await #expect(processExitsWith: .success) {
      let row = Primitive.allCases.map { _ in 1.0 / Double(Primitive.allCases.count) }
      _ = GenotypeDerivation.derive(weights: Array(repeating: row, count: 14))
    }
  }
}
