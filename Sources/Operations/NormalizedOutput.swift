import Engine

/// A layer whose last step is a batch norm: a sum of such layers' outputs can take each inner result with
/// its batch norm and fold the normalisation into the sum (`Tape.normalizedWeightedSum`), as a DARTS mixed
/// op does with its primitives' affine-free batch norms.
public protocol NormalizedOutput: Layer {
  /// The result before the last batch norm, and that batch norm. `rectified` says `x` is already
  /// relu(input) (for a layer that starts with a ReLU, as `ReLUFirst.activated(_:_:)` takes it).
  func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm)
}

extension BatchNorm {
  /// `x` as a term of a normalised sum when this batch norm has no affine parameters (nil otherwise).
  public func term(_ x: Tensor, index: Int) -> WeightedTerm? {
    weight == nil && bias == nil ? WeightedTerm(normalizing: x, index: index, running: running) : nil
  }
}
