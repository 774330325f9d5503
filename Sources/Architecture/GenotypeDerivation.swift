import Requirement

/// Derives a discrete cell from softmaxed alphas, as DARTS' `Network.genotype()` (`_parse`, Liu et al. 2019,
/// §2.4): for each intermediate node keep the two incoming edges with the largest max non-`none` weight
/// (strongest first; ties to the earlier edge), and on each the argmax non-`none` op (ties to the earlier
/// op). Ops are looked up by primitive, never by column number.
public enum GenotypeDerivation {
  /// - Parameters:
  ///   - weights: softmaxed alphas [edges][primitives], rows in `topology` order.
  ///   - primitives: the primitive of each column; `none` is never chosen.
  ///   - topology: the cell shape; its default concat is the output.
  public static func derive(
    weights: [[Double]], primitives: [Primitive] = Primitive.allCases, topology: CellTopology = .darts
  ) -> CellGenotype {
    require(
      weights.count == topology.edgeCount,
      "GenotypeDerivation.derive: weights needs one alpha row per edge (\(topology.edgeCount)), got \(weights.count)")
    let candidates = primitives.indices.filter { primitives[$0] != .none }
    require(
      !candidates.isEmpty,
      "GenotypeDerivation.derive: primitives need one other than none, got \(primitives.map(\.rawValue))")
    func best(_ row: [Double]) -> Int {
      candidates.dropFirst().reduce(candidates[0]) { row[$1] > row[$0] ? $1 : $0 }
    }
    var edges: [GenotypeEdge] = []
    for node in topology.nodes {
      let rows = Array(weights[topology.rows(into: node)])
      let ranked = rows.indices.sorted { a, b in
        let sa = rows[a][best(rows[a])]
        let sb = rows[b][best(rows[b])]
        return sa != sb ? sa > sb : a < b
      }
      for input in ranked.prefix(CellGenotype.edgesPerNode) {
        edges.append(GenotypeEdge(op: primitives[best(rows[input])], input: input))
      }
    }
    return CellGenotype(edges: edges, concat: topology.defaultConcat)
  }

}
