import Engine

/// A DARTS search cell: two preprocessed inputs and `steps` intermediate nodes; node j sums a mixed op
/// on each earlier state; the output is the channel concat of the last `multiplier` nodes.
///
/// Edges are numbered node by node: node 0 has edges 0-1 (from s0, s1), node 1 edges 2-4, node 2 5-8,
/// node 3 9-13. In a reduction cell the edges from the two inputs have stride 2.
public final class SearchCell {
  let preprocess0: Layer
  let preprocess1: Layer
  let edges: [MixedOp]
  let steps: Int
  let multiplier: Int
  /// Whether this cell halves the resolution.
  public let reduction: Bool

  init(
    steps: Int, multiplier: Int, prevPrevChannels cpp: Int, prevChannels cp: Int, channels c: Int,
    reduction: Bool, reductionPrev: Bool, initializer: inout WeightInitializer
  ) {
    preprocess0 =
      reductionPrev
      ? FactorizedReduce(inputChannels: cpp, outputChannels: c, initializer: &initializer)
      : ReLUConvBN(inputChannels: cpp, outputChannels: c, initializer: &initializer)
    preprocess1 = ReLUConvBN(inputChannels: cp, outputChannels: c, initializer: &initializer)
    var ops: [MixedOp] = []
    for i in 0..<steps {
      for j in 0..<(2 + i) {
        let stride = reduction && j < 2 ? 2 : 1
        ops.append(MixedOp(channels: c, stride: stride, initializer: &initializer))
      }
    }
    edges = ops
    self.steps = steps
    self.multiplier = multiplier
    self.reduction = reduction
  }

  /// The number of edges for `steps` nodes: 2 + 3 + ... + (steps + 1).
  public static func edgeCount(steps: Int) -> Int { (0..<steps).reduce(0) { $0 + 2 + $1 } }

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
    var offset = 0
    for _ in 0..<steps {
      var terms: [(Tensor, Int)] = []
      for (j, h) in states.enumerated() {
        terms += edges[offset + j].terms(h, row: offset + j, context)
      }
      let (n, c, hh, ww) = states[1].nchw
      let shape = reduction ? [n, c, (hh + 1) / 2, (ww + 1) / 2] : [n, c, hh, ww]
      states.append(context.tape.weightedSum(terms, weights: weights, shape: shape))
      offset += states.count - 1
    }
    return context.tape.concatChannels(Array(states.suffix(multiplier)))
  }

  func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    preprocess0.collectParameters(prefix: prefix + "preprocess0.", into: &list)
    preprocess1.collectParameters(prefix: prefix + "preprocess1.", into: &list)
    for (e, op) in edges.enumerated() { op.collectParameters(prefix: "\(prefix)_ops.\(e).", into: &list) }
  }

  func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    preprocess0.collectBuffers(prefix: prefix + "preprocess0.", into: &list)
    preprocess1.collectBuffers(prefix: prefix + "preprocess1.", into: &list)
    for (e, op) in edges.enumerated() { op.collectBuffers(prefix: "\(prefix)_ops.\(e).", into: &list) }
  }
}
