import Engine

/// A building block of a DARTS network (search or evaluation) whose parameters and statistics carry the
/// conventional DARTS `state_dict` names relative to a prefix.
public protocol Layer: AnyObject {
  /// Applies the layer.
  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor
  /// Appends the trainable tensors under `prefix` (e.g. `cells.0._ops.3._ops.4.`).
  func collectParameters(prefix: String, into list: inout [NamedTensor])
  /// Appends the batch-norm running statistics under `prefix`.
  func collectStatistics(prefix: String, into list: inout [NamedStatistics])
}

extension Layer {
  public func collectStatistics(prefix: String, into list: inout [NamedStatistics]) {}

  /// The layer's parameters under `prefix`.
  public func parameters(prefix: String = "") -> [NamedTensor] {
    var list: [NamedTensor] = []
    collectParameters(prefix: prefix, into: &list)
    return list
  }
}
