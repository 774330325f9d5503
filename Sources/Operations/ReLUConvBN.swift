import Engine

/// ReLU - conv (k x k, no bias) - BN: `op.1.weight`, BN `op.2` (DARTS `ReLUConvBN`).
public final class ReLUConvBN: ReLUFirst {
  let weight: Tensor
  let stride: Int
  let padding: Int
  let bn: BatchNorm

  public init(
    inputChannels: Int, outputChannels: Int, kernel: Int = 1, stride: Int = 1, padding: Int = 0, affine: Bool,
    initializer: inout WeightInitializer
  ) {
    weight = initializer.uniform([outputChannels, inputChannels, kernel, kernel])
    self.stride = stride
    self.padding = padding
    bn = BatchNorm(channels: outputChannels, affine: affine)
  }

  /// BN(W (*) relu(x)); a 1x1 convolution without padding takes the ReLU in its own read of x
  /// (`Tape.pointwiseConv(_:weight:stride:rectify:)`).
  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    guard weight.shape[2] == 1, padding == 0 else { return rectifyingThenApplying(x, context) }
    return bn(context.tape.pointwiseConv(x, weight: weight, stride: stride, rectify: true), context)
  }

  public func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    bn(context.tape.conv2d(r, weight: weight, stride: stride, padding: padding), context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "op.1.weight", weight))
    bn.collectParameters(name: prefix + "op.2", into: &list)
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    bn.collectStatistics(name: prefix + "op.2", into: &list)
  }
}
