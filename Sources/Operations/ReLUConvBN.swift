import Engine

/// ReLU - conv (k x k, no bias) - BN: `op.1.weight`, BN `op.2` (DARTS `ReLUConvBN`).
public final class ReLUConvBN: ReLUFirst {
  let weight: Tensor
  /// The convolution's stride.
  public let stride: Int
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

  /// Whether the convolution is 1x1 without padding, the form `preprocess(_:by:_:)` stacks.
  public var isPointwise: Bool { weight.shape[2] == 1 && padding == 0 }

  /// BN_i(W_i relu(x)) for 1x1 layers `layers` that read the same x at the same stride: what each layer
  /// gives alone, with the convolutions as one op (`Tape.pointwiseConvs`), so that x is read (and dx
  /// written) once for all of them. DARTS' cells preprocess each state for the next two cells this way.
  public static func preprocess(_ x: Tensor, by layers: [ReLUConvBN], _ context: ForwardContext) -> [Tensor] {
    require(
      !layers.isEmpty && layers.allSatisfy { $0.isPointwise && $0.stride == layers[0].stride },
      "ReLUConvBN.preprocess: stacked layers are 1x1 convolutions of one stride")
    let ys = context.tape.pointwiseConvs(x, weights: layers.map(\.weight), stride: layers[0].stride, rectify: true)
    return zip(layers, ys).map { $0.bn($1, context) }
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
