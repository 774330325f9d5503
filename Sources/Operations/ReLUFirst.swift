import Engine

/// A layer that starts with a ReLU of its input. `activated(_:_:)` applies the rest of the layer to an
/// already rectified input, so the layers that read one tensor can share a single ReLU (identical maths).
public protocol ReLUFirst: Layer {
  /// The layer applied to `r` = relu(x).
  func activated(_ r: Tensor, _ context: ForwardContext) -> Tensor
}

extension ReLUFirst {
  /// relu(x) through the rest of the layer.
  public func rectifyingThenApplying(_ x: Tensor, _ context: ForwardContext) -> Tensor {
    activated(context.tape.relu(x), context)
  }
}
