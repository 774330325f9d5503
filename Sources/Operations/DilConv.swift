import Engine

/// ReLU - depthwise k x k (stride, dilation) - 1x1 - BN: `op.1.weight`, `op.2.weight`, BN `op.3`
/// (DARTS `DilConv`; with dilation 1 it is each half of a `SepConv`).
public final class DilConv: ReLUFirst, NormalizedOutput {
  let depthwise: Tensor
  let pointwise: Tensor
  let stride: Int
  let padding: Int
  let dilation: Int
  let bn: BatchNorm

  public init(
    channels c: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, affine: Bool,
    initializer: inout WeightInitializer
  ) {
    depthwise = initializer.uniform([c, 1, kernel, kernel])
    pointwise = initializer.uniform([c, c, 1, 1])
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
    bn = BatchNorm(channels: c, affine: affine)
  }

  /// BN(W_p (w_d (*) relu(x))), the ReLU and both convolutions in one op (`Tape.separableConv`).
  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(x, rectified: false, context)
  }

  public func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(r, rectified: true, context)
  }

  /// W_p (w_d (*) relu(x)) and the BN that follows it.
  public func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm?) {
    let z = context.tape.separableConv(
      x, depthwise: depthwise, pointwise: pointwise, stride: stride, padding: padding, dilation: dilation,
      rectify: !rectified)
    return (z, bn)
  }

  /// W_p (w_d (*) relu(BN(z))) with `norm` the batch norm before this block (a `SepConv`'s first half's),
  /// which the convolution applies while it reads z (`Tape.separableConv`'s `normalizing`), and the BN
  /// that follows it.
  func unnormalized(normalizing z: Tensor, by norm: BatchNorm, _ context: ForwardContext) -> (Tensor, BatchNorm?) {
    let input = InputNormalization(
      weight: norm.weight, bias: norm.bias, running: norm.running, training: context.training)
    let y = context.tape.separableConv(
      z, depthwise: depthwise, pointwise: pointwise, stride: stride, padding: padding, dilation: dilation,
      rectify: true, normalizing: input)
    return (y, bn)
  }

  /// The parameters with the module indices `first` (depthwise), `first + 1` (pointwise), `first + 2` (BN).
  func collectParameters(prefix: String, first: Int, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "op.\(first).weight", depthwise))
    list.append(NamedTensor(prefix + "op.\(first + 1).weight", pointwise))
    bn.collectParameters(name: prefix + "op.\(first + 2)", into: &list)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    collectParameters(prefix: prefix, first: 1, into: &list)
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    bn.collectStatistics(name: prefix + "op.3", into: &list)
  }
}
