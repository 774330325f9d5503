import Architecture
import Engine

extension Primitive {
  /// The layer for this primitive on `channels` channels; pools are followed by BN (affine=false) as in
  /// DARTS's MixedOp. Returns nil for `none`, which contributes zero and is skipped.
  func makeLayer(channels c: Int, stride: Int, initializer: inout WeightInitializer) -> Layer? {
    switch self {
    case .none: nil
    case .max_pool_3x3: PoolBN(channels: c, stride: stride, isMax: true)
    case .avg_pool_3x3: PoolBN(channels: c, stride: stride, isMax: false)
    case .skip_connect:
      stride == 1 ? Identity() : FactorizedReduce(inputChannels: c, outputChannels: c, initializer: &initializer)
    case .sep_conv_3x3: SepConv(channels: c, kernel: 3, stride: stride, padding: 1, initializer: &initializer)
    case .sep_conv_5x5: SepConv(channels: c, kernel: 5, stride: stride, padding: 2, initializer: &initializer)
    case .dil_conv_3x3:
      DilConv(channels: c, kernel: 3, stride: stride, padding: 2, dilation: 2, initializer: &initializer)
    case .dil_conv_5x5:
      DilConv(channels: c, kernel: 5, stride: stride, padding: 4, dilation: 2, initializer: &initializer)
    }
  }
}

/// A layer that starts with a ReLU of its input. `activated(_:_:)` applies the rest of the layer to an
/// already rectified input, so the layers of one DARTS edge can share a single ReLU (identical maths).
protocol ReLUFirst: Layer {
  /// The layer applied to `r` = relu(x).
  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor
}

extension ReLUFirst {
  /// relu(x) through the rest of the layer.
  func rectifyingThenApplying(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    activated(context.tape.relu(x), context)
  }
}

/// Batch norm without affine parameters, with running statistics (`NAME.running_mean`, `NAME.running_var`).
final class PlainBatchNorm {
  let running: RunningStatistics

  init(channels: Int) {
    running = RunningStatistics(channels: channels)
  }

  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    context.tape.batchNorm(x, running: running, training: context.training)
  }

  func collectBuffers(name: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(name + ".running_mean", running.mean))
    list.append(NamedTensor(name + ".running_var", running.variance))
  }
}

/// The identity (`skip_connect` at stride 1).
final class Identity: Layer {
  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor { x }
  func collectParameters(prefix: String, into list: inout [NamedTensor]) {}
}

/// Max or average 3x3 pooling (average excludes padding) followed by BN(affine=false): `op`, then `1.`.
final class PoolBN: Layer {
  let stride: Int
  let isMax: Bool
  let bn: PlainBatchNorm

  init(channels: Int, stride: Int, isMax: Bool) {
    self.stride = stride
    self.isMax = isMax
    bn = PlainBatchNorm(channels: channels)
  }

  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    let pooled = isMax ? tape.maxPool(x, stride: stride) : tape.averagePool(x, stride: stride)
    return bn(pooled, context)
  }

  func collectParameters(prefix: String, into list: inout [NamedTensor]) {}
  func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    bn.collectBuffers(name: prefix + "1", into: &list)
  }
}

/// ReLU - conv (k x k, no bias) - BN(affine=false); parameter `op.1.weight`.
public final class ReLUConvBN: ReLUFirst {
  let weight: Tensor
  let stride: Int
  let padding: Int
  let bn: PlainBatchNorm

  init(
    inputChannels: Int, outputChannels: Int, kernel: Int = 1, stride: Int = 1, padding: Int = 0,
    initializer: inout WeightInitializer
  ) {
    weight = initializer.uniform([outputChannels, inputChannels, kernel, kernel])
    self.stride = stride
    self.padding = padding
    bn = PlainBatchNorm(channels: outputChannels)
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    rectifyingThenApplying(x, context)
  }

  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    bn(context.tape.conv2d(r, weight: weight, stride: stride, padding: padding), context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "op.1.weight", weight))
  }
  public func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    bn.collectBuffers(name: prefix + "op.2", into: &list)
  }
}

/// ReLU - depthwise k x k (dilation 2) - 1x1 - BN(affine=false): `op.1.weight`, `op.2.weight`.
public final class DilConv: ReLUFirst {
  let depthwise: Tensor
  let pointwise: Tensor
  let stride: Int
  let padding: Int
  let dilation: Int
  let bn: PlainBatchNorm

  init(channels c: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, initializer: inout WeightInitializer) {
    depthwise = initializer.uniform([c, 1, kernel, kernel])
    pointwise = initializer.uniform([c, c, 1, 1])
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    bn = PlainBatchNorm(channels: c)
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    rectifyingThenApplying(x, context)
  }

  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    let c = r.shape[1]
    var y = tape.conv2d(r, weight: depthwise, stride: stride, padding: padding, dilation: dilation, groups: c)
    y = tape.conv2d(y, weight: pointwise)
    return bn(y, context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "op.1.weight", depthwise))
    list.append(NamedTensor(prefix + "op.2.weight", pointwise))
  }
  public func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    bn.collectBuffers(name: prefix + "op.3", into: &list)
  }
}

/// Two stacked DilConv-like blocks without dilation, the first with the stride:
/// `op.1` depthwise, `op.2` 1x1, `op.3` BN, `op.5` depthwise, `op.6` 1x1, `op.7` BN.
public final class SepConv: ReLUFirst {
  let first: DilConv
  let second: DilConv

  init(channels c: Int, kernel: Int, stride: Int, padding: Int, initializer: inout WeightInitializer) {
    first = DilConv(
      channels: c, kernel: kernel, stride: stride, padding: padding, dilation: 1, initializer: &initializer)
    second = DilConv(channels: c, kernel: kernel, stride: 1, padding: padding, dilation: 1, initializer: &initializer)
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    rectifyingThenApplying(x, context)
  }

  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    second(first.activated(r, context), context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "op.1.weight", first.depthwise))
    list.append(NamedTensor(prefix + "op.2.weight", first.pointwise))
    list.append(NamedTensor(prefix + "op.5.weight", second.depthwise))
    list.append(NamedTensor(prefix + "op.6.weight", second.pointwise))
  }
  public func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    first.bn.collectBuffers(name: prefix + "op.3", into: &list)
    second.bn.collectBuffers(name: prefix + "op.7", into: &list)
  }
}

/// Halves the resolution without losing a pixel: ReLU, then concat(conv_1(x), conv_2(x[:, :, 1:, 1:]))
/// of two 1x1 stride-2 convolutions with C_out/2 outputs each, then BN(affine=false).
public final class FactorizedReduce: ReLUFirst {
  let conv1: Tensor
  let conv2: Tensor
  let bn: PlainBatchNorm

  init(inputChannels: Int, outputChannels: Int, initializer: inout WeightInitializer) {
    precondition(outputChannels % 2 == 0, "FactorizedReduce needs an even output channel count")
    conv1 = initializer.uniform([outputChannels / 2, inputChannels, 1, 1])
    conv2 = initializer.uniform([outputChannels / 2, inputChannels, 1, 1])
    bn = PlainBatchNorm(channels: outputChannels)
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    rectifyingThenApplying(x, context)
  }

  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    let a = tape.conv2d(r, weight: conv1, stride: 2)
    let b = tape.conv2d(tape.sliceSpatial(r, top: 1, left: 1), weight: conv2, stride: 2)
    return bn(tape.concatChannels([a, b]), context)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "conv_1.weight", conv1))
    list.append(NamedTensor(prefix + "conv_2.weight", conv2))
  }
  public func collectBuffers(prefix: String, into list: inout [NamedTensor]) {
    bn.collectBuffers(name: prefix + "bn", into: &list)
  }
}
