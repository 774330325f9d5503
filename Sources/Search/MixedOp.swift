import Architecture
import Engine
import Operations

/// One DARTS edge: every primitive applied to the same input, mixed by softmaxed architecture weights,
/// y = sum_k softmax(alpha)_k op_k(x). Parameters are named `_ops.K.<op params>` as in DARTS.
public final class MixedOp: NamedModule {
  /// The primitive layers by position in `Primitive.allCases`; nil for `none`.
  let layers: [Layer?]
  let primitives: [Primitive]

  init(channels: Int, stride: Int, primitives: [Primitive] = Primitive.allCases, initializer: inout WeightInitializer) {
    self.primitives = primitives
    var built: [Layer?] = []
    for p in primitives {
      built.append(p.makeLayer(channels: channels, stride: stride, set: .search, initializer: &initializer))
    }
    layers = built
  }

  /// The terms of this edge for a node's normalised weighted sum, with the weights of row `row` of a
  /// [edges, primitives] weights tensor. `none` contributes no term (its output is zero). A primitive that
  /// ends in an affine-free batch norm (pools, convolutions, FactorizedReduce) gives its result before that
  /// batch norm, which the sum applies. The layers that start with a ReLU share one relu(x), and the
  /// pools one pool of x of each kind, with the other edges that read x (`shared`).
  func terms(_ x: Tensor, row: Int, shared: inout SharedEdgeInputs, _ context: ForwardContext) -> [WeightedTerm] {
    var result: [WeightedTerm] = []
    result.reserveCapacity(layers.count)
    for (k, layer) in layers.enumerated() {
      guard let layer else { continue }
      let index = row * primitives.count + k
      let (y, norm): (Tensor, BatchNorm?)
      if let pool = layer as? Pool {
        (y, norm) = (shared.pooled(x, by: pool, context), pool.normalization)
      } else if let layer = layer as? NormalizedOutput {
        if layer is ReLUFirst {
          (y, norm) = layer.unnormalized(shared.rectified(x, context), rectified: true, context)
        } else {
          (y, norm) = layer.unnormalized(x, rectified: false, context)
        }
      } else if let layer = layer as? ReLUFirst {
        (y, norm) = (layer.activated(shared.rectified(x, context), context), nil)
      } else {
        (y, norm) = (layer(x, context), nil)
      }
      result.append(
        norm.map { $0.term(y, index: index) ?? WeightedTerm($0(y, context), index: index) }
          ?? WeightedTerm(y, index: index))
    }
    return result
  }

  /// The mixed output for one edge with softmaxed weights `weights` ([primitives] or [edges, primitives]).
  public func callAsFunction(_ x: Tensor, weights: Tensor, row: Int = 0, stride: Int, _ context: ForwardContext)
    -> Tensor
  {
    var shared = SharedEdgeInputs()
    let terms = terms(x, row: row, shared: &shared, context)
    let (n, c, h, w) = x.nchw
    let shape = [n, c, (h + stride - 1) / stride, (w + stride - 1) / stride]
    return context.tape.normalizedWeightedSum(terms, weights: weights, shape: shape, training: context.training)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    for (k, layer) in layers.enumerated() { layer?.collectParameters(prefix: "\(prefix)_ops.\(k).", into: &list) }
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    for (k, layer) in layers.enumerated() { layer?.collectStatistics(prefix: "\(prefix)_ops.\(k).", into: &list) }
  }
}

extension MixedOp {
  /// A stand-alone edge, for tests and the op benchmark.
  public static func make(channels: Int, stride: Int, seed: UInt64) -> MixedOp {
    var initializer = WeightInitializer(seed: seed)
    return MixedOp(channels: channels, stride: stride, initializer: &initializer)
  }

  /// Trainable tensors named `_ops.K....`.
  public var namedParameters: [NamedTensor] {
    var list: [NamedTensor] = []
    collectParameters(prefix: "", into: &list)
    return list
  }
}
