/// A batch norm that an op applies to its input before anything else, so that the normalised input is
/// never stored: `Tape.separableConv(_:depthwise:pointwise:stride:padding:dilation:rectify:normalizing:)`
/// takes the first half of a DARTS `SepConv` this way, BN(x)_c = gamma_c (x_c - m_c) / sqrt(v_c + eps) +
/// beta_c, with the statistics `Tape.batchNorm` would take and update.
public struct InputNormalization: @unchecked Sendable {
  /// gamma and beta (nil for a batch norm without affine parameters: 1 and 0).
  public var weight: Tensor?
  public var bias: Tensor?
  /// Running statistics: updated in training, used in evaluation (nil: batch statistics in either mode).
  public var running: RunningStatistics?
  /// Batch statistics (training) or the running ones (evaluation, when there are some).
  public var training: Bool
  public var eps: Float

  public init(
    weight: Tensor?, bias: Tensor?, running: RunningStatistics?, training: Bool, eps: Float = 1e-5
  ) {
    self.weight = weight
    self.bias = bias
    self.running = running
    self.training = training
    self.eps = eps
  }
}
