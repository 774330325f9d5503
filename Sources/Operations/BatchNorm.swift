import Engine

/// Batch norm over N, H, W per channel with running statistics (PyTorch `BatchNorm2d`, momentum 0.1,
/// eps 1e-5), affine (`NAME.weight`, `NAME.bias`) or not. Its buffers are `NAME.running_mean`,
/// `NAME.running_var` and `NAME.num_batches_tracked`.
public final class BatchNorm {
  public let running: RunningStatistics
  /// gamma and beta, when affine.
  public let weight: Tensor?
  public let bias: Tensor?

  public init(channels: Int, affine: Bool) {
    running = RunningStatistics(channels: channels)
    weight = affine ? Tensor(repeating: 1, shape: [channels], requiresGrad: true) : nil
    bias = affine ? Tensor(zeros: [channels], requiresGrad: true) : nil
  }

  public func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    context.tape.batchNorm(x, weight: weight, bias: bias, running: running, training: context.training)
  }

  /// Appends `name.weight` and `name.bias` when affine.
  public func collectParameters(name: String, into list: inout [NamedTensor]) {
    if let weight { list.append(NamedTensor(name + ".weight", weight)) }
    if let bias { list.append(NamedTensor(name + ".bias", bias)) }
  }

  /// Appends the running statistics under `name`.
  public func collectStatistics(name: String, into list: inout [NamedStatistics]) {
    list.append(NamedStatistics(name, running))
  }
}
