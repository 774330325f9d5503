import Foundation

/// A tensor's gradient that is known but not yet written: the input gradient of an affine-free or affine
/// batch norm folded into a normalised sum (`Tape.normalizedWeightedSum`, `Tape.normalizedDropPathSum`),
///
///   dx[b, c] = A_c f[b] dy[b, c] + B_c x[b, c] + C_c   (batch statistics)
///   dx[b, c] = A_c f[b] dy[b, c]                       (running statistics),
///
/// with f the term's per-image drop-path factor (1 without one). The sum's backward leaves it on the term's
/// tensor instead of writing dx to memory when the op that made the tensor can take it
/// (`Tensor.acceptsPendingGradient`: `Tape.separableConv`); that op's backward then writes dx image by image
/// into a scratch buffer still in cache, just before it reads it. The values are those the sum would have
/// written (the same kernel, element by element), so results do not change; a whole tensor's worth of
/// writes and reads of dx goes. Anything else that reads the gradient first gets it written in full
/// (`Tensor.grad`).
final class PendingGradient: @unchecked Sendable {
  /// The sum's output gradient; retained here, so its buffer is not reused while this is pending.
  let dy: Tensor
  /// The term's own values, x.
  let x: UnsafePointer<Float>
  /// (A, B, C) per channel, `3 * c` values.
  let coefficients: [Float]
  /// Whether B and C apply (batch statistics).
  let isBatch: Bool
  /// The per-image factor f, nil for 1.
  let factors: [Float]?
  /// Images, channels and plane size of x and dy.
  let shape: (n: Int, c: Int, hw: Int)

  init(
    dy: Tensor, x: UnsafePointer<Float>, coefficients: [Float], isBatch: Bool, factors: [Float]?,
    shape: (n: Int, c: Int, hw: Int)
  ) {
    require(coefficients.count == 3 * shape.c, "PendingGradient: \(coefficients.count) coefficients")
    self.dy = dy
    self.x = x
    self.coefficients = coefficients
    self.isBatch = isBatch
    self.factors = factors
    self.shape = shape
  }

  /// Writes (or adds, with `accumulate`) dx of image `b` into `dst`, channel planes `pitch` floats apart.
  func write(image b: Int, into dst: UnsafeMutablePointer<Float>, pitch: Int, accumulate: Bool) {
    let (_, c, hw) = shape
    let dyp = UnsafePointer(dy.data)
    let f = factors?[b] ?? 1
    for ch in 0..<c {
      let o = (b * c + ch) * hw
      let a = coefficients[3 * ch] * f
      if isBatch {
        vectorLinear2(
          dyp + o, x + o, dst + ch * pitch, hw, a: a, b: coefficients[3 * ch + 1], c: coefficients[3 * ch + 2],
          accumulate: accumulate)
      } else {
        vectorScaleAdd(dyp + o, dst + ch * pitch, hw, scale: a, accumulate: accumulate)
      }
    }
  }

  /// Writes (or adds) the whole dx, NCHW, into `dst`.
  func write(into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let (n, c, hw) = shape
    for b in 0..<n { write(image: b, into: dst + b * c * hw, pitch: hw, accumulate: accumulate) }
  }
}
