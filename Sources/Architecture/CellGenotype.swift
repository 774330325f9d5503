/// A derived (discrete) cell, as one half of a DARTS `Genotype`: per intermediate node two kept edges, in
/// node order, and the nodes concatenated into the cell output.
public struct CellGenotype: Codable, Sendable, Equatable, Hashable {
  public var edges: [GenotypeEdge]
  public var concat: [Int]

  public init(edges: [GenotypeEdge], concat: [Int]) {
    self.edges = edges
    self.concat = concat
  }

  /// Edges kept per intermediate node (two in DARTS).
  public static let edgesPerNode = 2

  /// The number of intermediate nodes.
  public var steps: Int { edges.count / Self.edgesPerNode }

  /// The node fed by edge `index` (nodes count from 2).
  public func node(ofEdge index: Int) -> Int { 2 + index / Self.edgesPerNode }

  /// The edges into `node`.
  public func edges(into node: Int) -> ArraySlice<GenotypeEdge> {
    let start = (node - 2) * Self.edgesPerNode
    return edges[start..<(start + Self.edgesPerNode)]
  }

  /// The DARTS Python list form, e.g. `[('sep_conv_3x3', 0), ('skip_connect', 1), ...]`.
  public var pythonList: String {
    "[" + edges.map { "('\($0.op.name)', \($0.input))" }.joined(separator: ", ") + "]"
  }

  /// The Python form of `concat`, e.g. `[2, 3, 4, 5]`.
  public var pythonConcat: String {
    "[" + concat.map(String.init).joined(separator: ", ") + "]"
  }

  /// The kept edges as (alpha row, op) pairs of `topology`.
  public func keptRows(in topology: CellTopology) -> [(row: Int, op: Primitive)] {
    edges.enumerated().compactMap { index, edge in
      let node = node(ofEdge: index)
      guard topology.nodes.contains(node), edge.input >= 0, edge.input < node else { return nil }
      return (topology.row(input: edge.input, node: node), edge.op)
    }
  }

  /// Checks the cell's shape: two edges per node, each reading an earlier state, and concat nodes that
  /// exist; `name` prefixes the message.
  public func validate(name: String) throws {
    guard !edges.isEmpty, edges.count % Self.edgesPerNode == 0 else {
      throw GenotypeError.invalid(
        "\(name) has \(edges.count) edge\(edges.count == 1 ? "" : "s"); a cell keeps two edges per node")
    }
    for (index, edge) in edges.enumerated() {
      let node = node(ofEdge: index)
      guard edge.input >= 0, edge.input < node else {
        throw GenotypeError.invalid(
          "\(name) edge \(index + 1) ('\(edge.op.name)', \(edge.input)) feeds node \(node), "
            + "which can only read states 0...\(node - 1)")
      }
    }
    guard !concat.isEmpty else { throw GenotypeError.invalid("\(name)_concat is empty") }
    for node in concat where node < 0 || node >= steps + 2 {
      throw GenotypeError.invalid("\(name)_concat names state \(node); the cell has states 0...\(steps + 1)")
    }
  }
}
