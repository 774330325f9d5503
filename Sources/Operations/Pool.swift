import Engine

/// Max or average 3x3 pooling with padding 1 (average excludes padding, `count_include_pad=False`). In the
/// search set a batch norm without affine parameters follows (MixedOp's `Sequential(pool, BN)`: `1.`).
public final class Pool: NormalizedOutput {
  public let stride: Int
  public let isMax: Bool
  /// The search set's batch norm after the pool.
  public let normalization: BatchNorm?

  public init(channels: Int, stride: Int, isMax: Bool, set: OperationSet) {
    self.stride = stride
    self.isMax = isMax
    normalization = set == .search ? BatchNorm(channels: channels, affine: false) : nil
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(x, rectified: false, context)
  }

  /// What a pool computes besides its input: pools of one kind on one input give equal tensors, so the
  /// edges of a cell that pool one state alike can share one result.
  public struct Kind: Hashable, Sendable {
    public let isMax: Bool
    public let stride: Int
  }

  public var kind: Kind { Kind(isMax: isMax, stride: stride) }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {}

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    normalization?.collectStatistics(name: prefix + "1", into: &list)
  }
}

extension Pool {
  /// The pool and the search set's batch norm after it (nil in the evaluation set); a pool does not
  /// rectify, so `rectified` changes nothing.
  public func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm?) {
    let tape = context.tape
    return (isMax ? tape.maxPool(x, stride: stride) : tape.averagePool(x, stride: stride), normalization)
  }
}
