import Engine

/// A loss with what it was computed from.
public struct LossEvaluation {
  public var loss: Tensor
  public var logits: Tensor
  /// Two-head networks: CE(z, y_instance) and CE(z, y_class).
  public var branchLosses: (instance: Float, class: Float)?
}
