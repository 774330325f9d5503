import Architecture
import Engine
import Operations

/// A DARTS search cell: two preprocessed inputs and the intermediate nodes of `topology`; each node sums a
/// mixed op on each earlier state; the output is the channel concat of the last `multiplier` nodes.
///
/// Edges (and alpha rows) are numbered as `CellTopology.edges`. In a reduction cell the edges from the two
/// inputs have stride 2.
public final class SearchCell: NamedCell {
  public let preprocess0: Layer
  public let preprocess1: Layer
  let edges: [MixedOp]
  let topology: CellTopology
  /// Whether this cell halves the resolution.
  public let reduction: Bool

  init(
    topology: CellTopology, prevPrevChannels cpp: Int, prevChannels cp: Int, channels c: Int,
    reduction: Bool, reductionPrev: Bool, initializer: inout WeightInitializer
  ) {
    preprocess0 =
      reductionPrev
      ? FactorizedReduce(inputChannels: cpp, outputChannels: c, affine: false, initializer: &initializer)
      : ReLUConvBN(inputChannels: cpp, outputChannels: c, affine: false, initializer: &initializer)
    preprocess1 = ReLUConvBN(inputChannels: cp, outputChannels: c, affine: false, initializer: &initializer)
    edges = topology.edges.map { edge in
      let stride = reduction && topology.readsCellInput(edge) ? 2 : 1
      return MixedOp(channels: c, stride: stride, initializer: &initializer)
    }
    self.topology = topology
    self.reduction = reduction
  }

  /// Applies the cell with softmaxed architecture weights `weights` [edges, primitives].
  func callAsFunction(_ s0: Tensor, _ s1: Tensor, weights: Tensor, _ context: ForwardContext) -> Tensor {
    var states: [Tensor]
    if s0 === s1, let p0 = preprocess0 as? ReLUFirst, let p1 = preprocess1 as? ReLUFirst {
      // The first cell sees the stem twice: one ReLU serves both preprocessing layers.
      let r = context.tape.relu(s0)
      states = [p0.activated(r, context), p1.activated(r, context)]
    } else {
      states = [preprocess0(s0, context), preprocess1(s1, context)]
    }
    var shared = [SharedEdgeInputs](repeating: SharedEdgeInputs(), count: 2 + topology.nodes.count)
    for node in topology.nodes {
      var terms: [WeightedTerm] = []
      for (input, row) in topology.rows(into: node).enumerated() {
        terms += edges[row].terms(states[input], row: row, shared: &shared[input], context)
      }
      let (n, c, hh, ww) = states[1].nchw
      let shape = reduction ? [n, c, (hh + 1) / 2, (ww + 1) / 2] : [n, c, hh, ww]
      states.append(
        context.tape.normalizedWeightedSum(terms, weights: weights, shape: shape, training: context.training))
    }
    return context.tape.concatChannels(Array(states.suffix(topology.multiplier)))
  }

  public var edgeModules: [NamedModule] { edges }
}
