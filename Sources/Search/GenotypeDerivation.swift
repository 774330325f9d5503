import RunEvents

/// Derives a discrete cell from softmaxed alphas, as DARTS's `genotype()` (Liu et al. 2019, §2.4):
/// for each intermediate node keep the two incoming edges with the largest max non-`none` weight (ties to
/// the earlier edge), and on each the argmax non-`none` op. Ops are looked up by name, never by index.
public enum GenotypeDerivation {
  /// - Parameters:
  ///   - weights: softmaxed alphas [edges][primitives].
  ///   - primitives: the primitive names in column order; must contain `none` only where it is excluded.
  ///   - steps: intermediate nodes.
  ///   - multiplier: nodes concatenated into the output.
  public static func derive(weights: [[Double]], primitives: [String], steps: Int = 4, multiplier: Int = 4)
    -> Genotype
  {
    let candidates = primitives.indices.filter { primitives[$0] != Primitive.none.rawValue }
    var edges: [GenotypeEdge] = []
    var start = 0
    for node in 0..<steps {
      let inputs = node + 2
      let rows = Array(weights[start..<(start + inputs)])
      func best(_ row: [Double]) -> Int {
        candidates.dropFirst().reduce(candidates[0]) { row[$1] > row[$0] ? $1 : $0 }
      }
      let ranked = (0..<inputs).sorted { a, b in
        let sa = rows[a][best(rows[a])]
        let sb = rows[b][best(rows[b])]
        return sa != sb ? sa > sb : a < b
      }
      for j in ranked.prefix(2) {
        edges.append(GenotypeEdge(op: primitives[best(rows[j])], input: j))
      }
      start += inputs
    }
    return Genotype(edges: edges, concat: Array((2 + steps - multiplier)..<(steps + 2)))
  }
}
