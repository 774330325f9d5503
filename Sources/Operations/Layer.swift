import Engine

/// A part of a DARTS network (a layer, a mixed op, a cell, a head) whose parameters and statistics carry the
/// conventional DARTS `state_dict` names relative to a prefix.
public protocol NamedModule: AnyObject {
  /// Appends the trainable tensors under `prefix` (e.g. `cells.0._ops.3._ops.4.`).
  func collectParameters(prefix: String, into list: inout [NamedTensor])
  /// Appends the batch-norm running statistics under `prefix`.
  func collectStatistics(prefix: String, into list: inout [NamedStatistics])
}

/// A building block of a DARTS network (search or evaluation) that maps one tensor to one tensor.
public protocol Layer: NamedModule {
  /// Applies the layer.
  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor
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
