import Engine

/// The largest |a - b| over |b|'s largest entry (plus a floor of 1e-6), for two equal-sized tensors: how
/// far a fused op or a rearranged network is from its reference, relative to the reference's scale.
public func relativeDifference(_ a: Tensor, _ b: Tensor) -> Float {
  require(a.count == b.count, "relativeDifference: \(a.shape) vs \(b.shape)")
  var worst: Float = 0
  var scale: Float = 1e-6
  for i in 0..<a.count {
    worst = max(worst, abs(a[i] - b[i]))
    scale = max(scale, abs(b[i]))
  }
  return worst / scale
}
