import Engine

/// A tensor with its conventional DARTS `state_dict` name.
public struct NamedTensor: @unchecked Sendable {
  public let name: String
  public let tensor: Tensor

  public init(_ name: String, _ tensor: Tensor) {
    self.name = name
    self.tensor = tensor
  }
}

/// A batch norm's running statistics with the name of the BN module: its `state_dict` buffers are
/// `NAME.running_mean`, `NAME.running_var` and `NAME.num_batches_tracked` (int64), as PyTorch names them.
public struct NamedStatistics: @unchecked Sendable {
  public let name: String
  public let statistics: RunningStatistics

  public init(_ name: String, _ statistics: RunningStatistics) {
    self.name = name
    self.statistics = statistics
  }

  /// The float buffers: running mean and running (unbiased) variance.
  public var buffers: [NamedTensor] {
    [NamedTensor(name + ".running_mean", statistics.mean), NamedTensor(name + ".running_var", statistics.variance)]
  }

  /// The name of the int64 batch counter.
  public var counterName: String { name + ".num_batches_tracked" }
}
