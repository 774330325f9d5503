import Engine
import Operations

/// DARTS' auxiliary head (`AuxiliaryHeadCIFAR`), after backbone cell 2L/3 in training only: ReLU, average
/// pool 5x5 with stride S - 5 and no padding on its S x S input (S = 8 gives DARTS' stride 3, 7 gives 2),
/// conv1x1 to 128, BN, ReLU, conv2x2 to 768, BN, ReLU, linear. Names `auxiliary_head.features.2.weight`,
/// `features.3` (BN), `features.5.weight`, `features.6` (BN), `classifier`.
final class AuxiliaryHead: NamedModule {
  let conv1: Tensor
  let bn1: BatchNorm
  let conv2: Tensor
  let bn2: BatchNorm
  let weight: Tensor
  let bias: Tensor
  /// S - 5.
  let poolStride: Int

  init(channels c: Int, classes: Int, inputSize: Int, initializer: inout WeightInitializer) {
    require(inputSize >= 6, "AuxiliaryHead: inputSize must be at least 6 (a 5x5 pool), got \(inputSize)")
    conv1 = initializer.uniform([128, c, 1, 1])
    bn1 = BatchNorm(channels: 128, affine: true)
    conv2 = initializer.uniform([768, 128, 2, 2])
    bn2 = BatchNorm(channels: 768, affine: true)
    weight = initializer.uniform([classes, 768])
    bias = initializer.uniform([classes], fanIn: 768)
    poolStride = inputSize - 5
  }

  /// The auxiliary logits of the backbone state `x`.
  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    var y = tape.averagePool(tape.relu(x), kernel: 5, stride: poolStride, padding: 0)
    y = tape.relu(bn1(tape.conv2d(y, weight: conv1), context))
    y = tape.relu(bn2(tape.conv2d(y, weight: conv2), context))
    return tape.linear(tape.globalAveragePool(y), weight: weight, bias: bias)
  }

  func collectParameters(prefix: String, into list: inout [NamedTensor]) {
    list.append(NamedTensor(prefix + "features.2.weight", conv1))
    bn1.collectParameters(name: prefix + "features.3", into: &list)
    list.append(NamedTensor(prefix + "features.5.weight", conv2))
    bn2.collectParameters(name: prefix + "features.6", into: &list)
    list.append(NamedTensor(prefix + "classifier.weight", weight))
    list.append(NamedTensor(prefix + "classifier.bias", bias))
  }

  func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {
    bn1.collectStatistics(name: prefix + "features.3", into: &list)
    bn2.collectStatistics(name: prefix + "features.6", into: &list)
  }
}
