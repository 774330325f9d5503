import Engine

/// A layer whose last step may be a batch norm: a sum of such layers' outputs can take each inner result
/// with its batch norm and fold the normalisation into the sum (`Tape.normalizedWeightedSum`), as a DARTS
/// mixed op does with its primitives' affine-free batch norms.
public protocol NormalizedOutput: Layer {
  /// The result before the last batch norm, and that batch norm (nil when the layer ends without one).
  /// `rectified` says `x` is already relu(input), for a layer that starts with a ReLU (as
  /// `ReLUFirst.activated(_:_:)` takes it); a layer that does not ignores it.
  func unnormalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> (Tensor, BatchNorm?)
}

extension NormalizedOutput {
  /// The layer's output: the inner result through its last batch norm, when it has one.
  public func normalized(_ x: Tensor, rectified: Bool, _ context: ForwardContext) -> Tensor {
    let (z, norm) = unnormalized(x, rectified: rectified, context)
    return norm.map { $0(z, context) } ?? z
  }
}

extension BatchNorm {
  /// `x` as a term of a normalised sum when this batch norm has no affine parameters (nil otherwise).
  public func term(_ x: Tensor, index: Int) -> WeightedTerm? {
    weight == nil && bias == nil ? WeightedTerm(normalizing: x, index: index, running: running) : nil
  }
}
