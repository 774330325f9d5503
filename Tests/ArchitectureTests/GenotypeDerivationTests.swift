import Architecture
import Testing

@Suite struct GenotypeDerivationTests {
  /// A row whose weight is `w` on `op` and small elsewhere.
  static func row(_ op: Primitive, _ w: Double, none: Double = 0) -> [Double] {
    Primitive.allCases.map { $0 == op ? w : ($0 == .none ? none : 0.01) }
  }

  @Test func keepsTheTwoStrongestEdgesStrongestFirstAndIgnoresNone() {
    var weights: [[Double]] = []
    // node 2: edges 0, 1
    weights += [Self.row(.sep_conv_3x3, 0.5), Self.row(.skip_connect, 0.3)]
    // node 3: edges 2 (from 0), 3 (from 1), 4 (from node 2); edge 3 has a huge `none`, which must not count
    weights += [Self.row(.max_pool_3x3, 0.2), Self.row(.dil_conv_3x3, 0.1, none: 0.9), Self.row(.sep_conv_5x5, 0.6)]
    // node 4: edges 5...8
    weights += [
      Self.row(.avg_pool_3x3, 0.4), Self.row(.dil_conv_5x5, 0.7), Self.row(.skip_connect, 0.2),
      Self.row(.sep_conv_3x3, 0.05),
    ]
    // node 5: edges 9...13, a tie between 9 and 12 goes to the earlier edge
    weights += [
      Self.row(.dil_conv_3x3, 0.3), Self.row(.max_pool_3x3, 0.1), Self.row(.sep_conv_5x5, 0.2),
      Self.row(.skip_connect, 0.3), Self.row(.avg_pool_3x3, 0.05),
    ]
    let g = GenotypeDerivation.derive(weights: weights)
    #expect(
      g.pythonList
        == "[('sep_conv_3x3', 0), ('skip_connect', 1), ('sep_conv_5x5', 2), ('max_pool_3x3', 0), "
        + "('dil_conv_5x5', 1), ('avg_pool_3x3', 0), ('dil_conv_3x3', 0), ('skip_connect', 3)]")
    #expect(g.concat == [2, 3, 4, 5])
  }

  @Test func opsAreLookedUpByPrimitiveNotColumn() {
    // The same weights with the primitive columns reversed give the same genotype.
    let weights = (0..<14).map { e in Primitive.allCases.indices.map { Double(($0 * 7 + e * 3) % 11) } }
    #expect(
      GenotypeDerivation.derive(weights: weights)
        == GenotypeDerivation.derive(
          weights: weights.map { Array($0.reversed()) }, primitives: Array(Primitive.allCases.reversed())))
  }

  @Test func aSmallerCellDerivesFromItsOwnTopology() {
    let topology = CellTopology(steps: 2, multiplier: 2)
    #expect(topology.edgeCount == 5)
    let weights = (0..<5).map { e in Primitive.allCases.indices.map { Double(($0 + e) % 8) } }
    let g = GenotypeDerivation.derive(weights: weights, topology: topology)
    #expect(g.edges.count == 4)
    #expect(g.concat == [2, 3])
    #expect(g.edges.allSatisfy { $0.op != .none })
  }
}

@Suite struct CellTopologyTests {
  @Test func dartsCellHasFourteenEdgesInNodeOrder() {
    let cell = CellTopology.darts
    #expect(cell.edgeCount == 14)
    #expect(cell.edges.map(\.name).prefix(5) == ["0>2", "1>2", "0>3", "1>3", "2>3"])
    #expect(cell.edges.last?.label == "4 -> 5")
    #expect(cell.rows(into: 2) == 0..<2)
    #expect(cell.rows(into: 5) == 9..<14)
    #expect(cell.row(input: 3, node: 4) == 8)
    #expect(cell.defaultConcat == [2, 3, 4, 5])
    #expect(CellTopology(edgeCount: 14) == cell)
    #expect(CellTopology(edgeCount: 13) == nil)
    #expect(cell.edges.filter(cell.readsCellInput).count == 8)
  }

  @Test func keptRowsPlaceAGenotypeOnTheAlphaRows() throws {
    let g = try GenotypeParser.parse(GenotypeTextTests.dartsV2)
    let rows = g.normal.keptRows(in: .darts)
    #expect(rows.map(\.row) == [0, 1, 2, 3, 6, 5, 9, 11])
    #expect(rows.map(\.op).first == .sep_conv_3x3)
  }
}

@Suite struct PrimitiveTests {
  @Test func dartsOrderNamesLabelsAndLettersAreDistinct() {
    #expect(
      Primitive.allCases.map(\.name) == [
        "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3",
        "dil_conv_5x5",
      ])
    #expect(Set(Primitive.allCases.map(\.label)).count == 8)
    #expect(Primitive.allCases.allSatisfy { $0.label.count <= 4 })
    #expect(Set(Primitive.allCases.map(\.letter)).count == 8)
    #expect(Primitive(name: "sep_conv_7x7") == nil)
    #expect(Primitive.letterLegend.contains("k skip"))
  }
}
