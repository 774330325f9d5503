import Requirement

/// The shape of a DARTS cell (Liu et al. 2019, §2.1): inputs 0 and 1 are the outputs of the two previous
/// cells (c_{k-2}, c_{k-1}); intermediate node i (numbered from 2) reads every earlier state 0..<i through one
/// edge each; the output concatenates the last `multiplier` nodes.
///
/// Edges are numbered node by node, inputs in order: with four nodes, node 2 has edges 0-1 (from 0, 1),
/// node 3 edges 2-4, node 4 edges 5-8, node 5 edges 9-13. This is the row order of every alpha tensor.
public struct CellTopology: Sendable, Equatable, Hashable, Codable {
  /// One edge: the state it reads and the node it feeds.
  public struct Edge: Sendable, Equatable, Hashable {
    public var input: Int
    public var node: Int

    public init(input: Int, node: Int) {
      self.input = input
      self.node = node
    }

    /// A compact name, `0>2`.
    public var name: String { "\(input)>\(node)" }
    /// A readable label, `0 -> 2`.
    public var label: String { "\(input) -> \(node)" }
  }

  /// Intermediate nodes per cell (`steps` in DARTS).
  public var steps: Int
  /// Nodes concatenated into the output (`multiplier` in DARTS).
  public var multiplier: Int

  /// DARTS' cell: four intermediate nodes, all four concatenated.
  public static let darts = CellTopology(steps: 4, multiplier: 4)

  public init(steps: Int = 4, multiplier: Int = 4) {
    require(
      steps >= 1 && multiplier >= 1 && multiplier <= steps,
      "CellTopology: a cell needs 1 <= multiplier <= steps, got steps \(steps) and multiplier \(multiplier)")
    self.steps = steps
    self.multiplier = multiplier
  }

  /// The topology whose edge count is `edgeCount` (four nodes for 14 edges), or nil if no cell has that many.
  public init?(edgeCount: Int) {
    var steps = 0
    var count = 0
    while count < edgeCount {
      count += steps + 2
      steps += 1
    }
    guard count == edgeCount, steps >= 1 else { return nil }
    self.init(steps: steps, multiplier: steps)
  }

  /// The number of edges: 2 + 3 + ... + (steps + 1).
  public var edgeCount: Int { (0..<steps).reduce(0) { $0 + 2 + $1 } }

  /// The intermediate nodes, 2..<steps + 2.
  public var nodes: Range<Int> { 2..<(steps + 2) }

  /// The nodes of the output concatenation by default: the last `multiplier`.
  public var defaultConcat: [Int] { Array((steps + 2 - multiplier)..<(steps + 2)) }

  /// Every edge, in alpha row order.
  public var edges: [Edge] {
    nodes.flatMap { node in (0..<node).map { Edge(input: $0, node: node) } }
  }

  /// The alpha rows of the edges into `node`, in input order.
  public func rows(into node: Int) -> Range<Int> {
    require(nodes.contains(node), "CellTopology.rows(into:): node \(node) is not one of the cell's nodes \(nodes)")
    let start = (2..<node).reduce(0) { $0 + $1 }
    return start..<(start + node)
  }

  /// The alpha row of the edge from `input` into `node`.
  public func row(input: Int, node: Int) -> Int {
    require(
      input >= 0 && input < node,
      "CellTopology.row(input:node:): node \(node) reads states 0..<\(node), not input \(input)")
    return rows(into: node).lowerBound + input
  }

  /// The name of the cell's output, as DARTS' `visualize.py` draws it: `c_{k}`.
  public static let outputName = "c_{k}"

  /// The name of state `state`, as DARTS' `visualize.py` draws it: `c_{k-2}` and `c_{k-1}` for the inputs,
  /// `0`, `1`, ... for the intermediate nodes (state 2 is node 0).
  public static func stateName(_ state: Int) -> String {
    switch state {
    case 0: "c_{k-2}"
    case 1: "c_{k-1}"
    case 2...: String(state - 2)
    default: "?"
    }
  }

  /// Whether the edge reads one of the cell's inputs (those edges have stride 2 in a reduction cell).
  public func readsCellInput(_ edge: Edge) -> Bool { edge.input < 2 }
}
