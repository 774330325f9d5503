import Engine

/// Halves the resolution without losing a pixel (DARTS `FactorizedReduce`): ReLU, then
/// concat(conv_1(x), conv_2(x[:, :, 1:, 1:])) of two 1x1 stride-2 convolutions with C_out/2 outputs each,
/// then BN: `conv_1.weight`, `conv_2.weight`, BN `bn`. Both halves must have the same size, so the input's
/// height and width must be even (`NetworkGeometry` checks this when a network is built).
public final class FactorizedReduce: ReLUFirst, NormalizedOutput {
  let conv1: Tensor
  let conv2: Tensor
  let bn: BatchNorm

  public init(inputChannels: Int, outputChannels: Int, affine: Bool, initializer: inout WeightInitializer) {
    require(
      outputChannels % 2 == 0,
      "FactorizedReduce: outputChannels must be even (two halves of C_out/2), got \(outputChannels)")
    conv1 = initializer.uniform([outputChannels / 2, inputChannels, 1, 1])
    conv2 = initializer.uniform([outputChannels / 2, inputChannels, 1, 1])
    bn = BatchNorm(channels: outputChannels, affine: affine)
  }

  /// The ReLU is taken in the convolutions' read of x (relu commutes with the slice).
  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(x, rectified: false, context)
  }

  public func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor {
    normalized(r, rectified: true, context)
  }

  /// Both strided halves in one op (`Tape.factorizedReduce`), which reads each plane of x once, before the
  /// BN; and the BN.
  public func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm?) {
    (context.tape.factorizedReduce(x, conv1, conv2, rectify: !rectified), bn)
  }

  public func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "conv_1.weight", conv1))
    list.append(NamedTensor(prefix + "conv_2.weight", conv2))
    bn.collectParameters(name: prefix + "bn", into: &list)
  }

  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    bn.collectStatistics(name: prefix + "bn", into: &list)
  }
}
