import Foundation

/// Global gradient-norm clipping, as `torch.nn.utils.clip_grad_norm_`: when the L2 norm of all
/// gradients exceeds `maxNorm`, every gradient is scaled by maxNorm / (norm + 1e-6). Returns the norm.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  var total = 0.0
  for p in parameters { if let g = p.grad { total += g.squaredNorm() } }
  let norm = Float(total.squareRoot())
  let coefficient = maxNorm / (norm + 1e-6)
  if coefficient < 1 {
    for p in parameters {
      guard let g = p.grad else { continue }
      for i in 0..<g.count { g.data[i] *= coefficient }
    }
  }
  return norm
}
