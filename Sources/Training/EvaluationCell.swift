import Architecture
import Engine
import Operations

/// A cell of the evaluation network, built from a genotype (DARTS `model.Cell`): two preprocessed inputs;
/// each intermediate node i is op_a(state[a]) + op_b(state[b]) for its two kept edges, where drop path
/// applies to every op output that is not the identity; the output concatenates the genotype's concat
/// nodes. Ops are `_ops.k` in genotype order; edges from the cell inputs have stride 2 in a reduction cell.
final class EvaluationCell: NamedCell {
  let preprocess0: Layer
  let preprocess1: Layer
  let ops: [Layer]
  let genotype: CellGenotype
  /// Whether this cell halves the resolution.
  let reduction: Bool

  init(
    genotype: CellGenotype, prevPrevChannels cpp: Int, prevChannels cp: Int, channels c: Int, reduction: Bool,
    reductionPrev: Bool, initializer: inout WeightInitializer
  ) {
    preprocess0 =
      reductionPrev
      ? FactorizedReduce(inputChannels: cpp, outputChannels: c, affine: true, initializer: &initializer)
      : ReLUConvBN(inputChannels: cpp, outputChannels: c, affine: true, initializer: &initializer)
    preprocess1 = ReLUConvBN(inputChannels: cp, outputChannels: c, affine: true, initializer: &initializer)
    ops = genotype.edges.map { edge in
      let stride = reduction && edge.input < 2 ? 2 : 1
      // `none` is rejected when the network is built (`EvaluationNetwork.problems`).
      return edge.op.makeLayer(channels: c, stride: stride, set: .evaluation, initializer: &initializer)!
    }
    self.genotype = genotype
    self.reduction = reduction
  }

  /// The output channels: C per concatenated node.
  static func outputChannels(_ genotype: CellGenotype, channels c: Int) -> Int { genotype.concat.count * c }

  /// The preprocessing layer of input `slot` (0 reads c_{k-2}, 1 reads c_{k-1}).
  func preprocessing(_ slot: Int) -> Layer { slot == 0 ? preprocess0 : preprocess1 }

  func callAsFunction(_ s0: Tensor, _ s1: Tensor, _ context: ForwardContext) -> Tensor {
    // Each preprocessing layer takes its ReLU in its convolution's read of the input.
    self(preprocessed: preprocess0(s0, context), preprocess1(s1, context), context)
  }

  /// The cell on inputs already preprocessed by `preprocess0` and `preprocess1`.
  func callAsFunction(preprocessed p0: Tensor, _ p1: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    var states = [p0, p1]
    // Each node sums its two edges with their last batch norms and their drop path in one op
    // (`Tape.normalizedDropPathSum`): the masks are drawn edge by edge as DARTS draws them, and neither a
    // normalised nor a dropped copy of an edge's output is stored.
    let dropPath = context.training ? context.dropPath : nil
    // A pool without a batch norm after it has no parameters: edges that pool the same state the same way
    // (DARTS_V2's reduction cell pools c_{k-1} three times and c_{k-2} twice) share one pooled tensor, and
    // its gradient is the sum of theirs. Each edge still draws its own drop-path mask.
    var pooled = [[Pool.Kind: Tensor]](repeating: [:], count: states.count + genotype.steps)
    for node in 0..<genotype.steps {
      var terms: [DropPathTerm] = []
      for k in (2 * node)..<(2 * node + 2) {
        let input = genotype.edges[k].input
        let x = states[input]
        let (y, norm): (Tensor, BatchNorm?)
        if let pool = ops[k] as? Pool, pool.normalization == nil {
          let shared = pooled[input][pool.kind] ?? pool(x, context)
          pooled[input][pool.kind] = shared
          (y, norm) = (shared, nil)
        } else {
          (y, norm) =
            (ops[k] as? NormalizedOutput)?.unnormalized(x, rectified: false, context) ?? (ops[k](x, context), nil)
        }
        let mask = ops[k] is Identity ? nil : dropPath?.mask(images: y.shape[0])
        if let norm, let weight = norm.weight, let bias = norm.bias {
          terms.append(DropPathTerm(normalizing: y, weight: weight, bias: bias, running: norm.running, mask: mask))
        } else {
          terms.append(DropPathTerm(norm.map { $0(y, context) } ?? y, mask: mask))
        }
      }
      states.append(
        terms.contains { $0.isNormalized || $0.mask != nil }
          ? tape.normalizedDropPathSum(terms, keep: dropPath?.keep ?? 1, training: context.training)
          : tape.add(terms[0].x, terms[1].x))
    }
    return tape.concatChannels(genotype.concat.map { states[$0] })
  }

  public var edgeModules: [NamedModule] { ops }
}
