import Engine

/// Two stacked DilConv-like blocks without dilation, the first with the stride (DARTS `SepConv`):
/// `op.1` depthwise, `op.2` 1x1, `op.3` BN, (`op.4` ReLU), `op.5` depthwise, `op.6` 1x1, `op.7` BN.
public final class SepConv: ReLUFirst, NormalizedOutput {
  let first: DilConv
  let second: DilConv

  public init(
    channels c: Int, kernel: Int, stride: Int, padding: Int, affine: Bool, initializer: inout WeightInitializer
  ) {
    first = DilConv(
      channels: c, kernel: kernel, stride: stride, padding: padding, dilation: 1, affine: affine,
      initializer: &initializer)
    second = DilConv(
      channels: c, kernel: kernel, stride: 1, padding: padding, dilation: 1, affine: affine, initializer: &initializer)
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(x, rectified: false, context)
  }

  public func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(r, rectified: true, context)
  }

  /// Both halves but the second half's BN, and that BN. The first half's BN (`op.3`) and the ReLU after it
  /// (`op.4`) are applied by the second half's convolution as it reads the first half's output.
  public func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm?) {
    let (z, _) = first.unnormalized(x, rectified: rectified, context)
    return second.unnormalized(normalizing: z, by: first.bn, context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    first.collectParameters(prefix: prefix, first: 1, into: &list)
    second.collectParameters(prefix: prefix, first: 5, into: &list)
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    first.bn.collectStatistics(name: prefix + "op.3", into: &list)
    second.bn.collectStatistics(name: prefix + "op.7", into: &list)
  }
}
