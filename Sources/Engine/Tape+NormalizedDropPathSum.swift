import Foundation

/// One term of `Tape.normalizedDropPathSum`: an edge's output before its last batch norm, that batch norm's
/// parameters (nil for an edge without one: the identity, a pool), and its drop-path mask.
public struct DropPathTerm: @unchecked Sendable {
  public var x: Tensor
  /// One 0/1 value per image (nil: never dropped, as the identity edges).
  public var mask: [Float]?
  /// gamma and beta of the affine batch norm between x and the sum.
  public var weight: Tensor?
  public var bias: Tensor?
  /// Its running statistics: updated in training, used in evaluation (nil: batch statistics in either mode).
  public var running: RunningStatistics?
  /// Whether the term is normalised before the drop path.
  public var isNormalized: Bool

  /// A term `f x`, f = mask / keep (1 without a mask).
  public init(_ x: Tensor, mask: [Float]?) {
    self.x = x
    self.mask = mask
    isNormalized = false
  }

  /// A term `f BN(x)` with BN's affine parameters `weight` and `bias` and its `running` statistics.
  public init(normalizing x: Tensor, weight: Tensor, bias: Tensor, running: RunningStatistics?, mask: [Float]?) {
    self.x = x
    self.mask = mask
    self.weight = weight
    self.bias = bias
    self.running = running
    isNormalized = true
  }
}

extension Tape {
  /// A node of a DARTS evaluation cell with its edges' last batch norms in one op:
  /// y[n] = sum_t f_t[n] BN_t(x_t)[n], f_t[n] = mask_t[n] / keep (1 without a mask), with BN_t the affine
  /// batch norm BN(x)_c = gamma_c s_c (x_c - m_c) + beta_c (s = 1 / sqrt(var + eps); batch statistics in
  /// training, running ones in evaluation, exactly as `batchNorm` computes and updates them) for a
  /// normalised term and the identity for a plain one. The values of `batchNorm` followed by `dropPathSum`
  /// to rounding, without storing any normalised edge output.
  ///
  /// Backward, with g_t = f_t dy (the gradient of BN_t's output), M = N H W, and per channel
  /// S_t = sum g_t = sum_n f_t[n] sum dy[n] and D_t = sum g_t (x_t - m_t) = sum_n f_t[n] sum dy[n] (x_t - m_t):
  /// dbeta_t += S_t, dgamma_t += s_t D_t; in training dx_t = A f_t dy + B x_t + C with A = gamma s,
  /// B = -gamma s^3 D_t / M, C = -gamma s S_t / M - B m (BN's backward, per image through f_t); in evaluation
  /// dx_t = A f_t dy; a plain term's dx_t = f_t dy. A dropped image still gets B x + C in training: the
  /// batch statistics tie it to the others. Against `batchNorm` + `dropPathSum`, forward does not write and
  /// read each BN output, and backward neither writes nor reads each BN's dy. Work is split by images;
  /// per-thread sums are combined in thread order: deterministic for a fixed thread count.
  public func normalizedDropPathSum(
    _ terms: [DropPathTerm], keep: Float, training: Bool, eps: Float = 1e-5
  ) -> Tensor {
    require(!terms.isEmpty, "normalizedDropPathSum needs at least one term")
    guard terms.contains(where: \.isNormalized) else {
      return dropPathSum(terms.map { ($0.x, $0.mask) }, keep: keep)
    }
    let shape = terms[0].x.shape
    require(
      shape.count == 4 && terms.allSatisfy { $0.x.shape == shape }, "normalizedDropPathSum: shapes differ")
    require(keep > 0 && keep <= 1, "normalizedDropPathSum: keep probability \(keep) outside (0, 1]")
    let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
    require(
      terms.allSatisfy { $0.mask == nil || $0.mask!.count == n }, "normalizedDropPathSum: one mask value per image")
    let m = n * hw
    let count = terms.count
    let pointers = terms.map { UnsafePointer(materialize($0.x)) }
    let factors: [[Float]?] = terms.map { $0.mask?.map { $0 / keep } }
    let parameters = terms.flatMap { [$0.weight, $0.bias].compactMap { $0 } }
    let grad = needsGradient(terms.map(\.x) + parameters)
    let y = output(shape, grad: grad)
    let parts = parallel.parts(n)
    let (isBatch, means, invStds) = termStatistics(
      pointers, normalized: terms.map(\.isNormalized), running: terms.map(\.running), training: training, eps: eps,
      shape: (n, c, hw), moments: terms.map(\.x.planeMoments))
    // BN_t(x) = scale x + shift per channel (1 and 0 for a plain term).
    var scales = [Float](repeating: 1, count: count * c)
    var shifts = [Float](repeating: 0, count: count * c)
    for t in 0..<count where terms[t].isNormalized {
      for ch in 0..<c {
        let j = t * c + ch
        let a = terms[t].weight!.data[ch] * invStds[j]
        scales[j] = a
        shifts[j] = terms[t].bias!.data[ch] - means[j] * a
      }
    }
    // Walking the images backwards: the statistics pass read them last.
    let yp = y.data
    parallel.forEachRange(n) { _, r in
      for b in r.reversed() {
        for ch in (0..<c).reversed() {
          let o = (b * c + ch) * hw
          for t in 0..<count {
            let f = factors[t]?[b] ?? 1
            let j = t * c + ch
            vectorAffine(
              pointers[t] + o, yp + o, hw, scale: f * scales[j], shift: f * shifts[j], accumulate: t > 0)
          }
        }
      }
    }
    guard grad else { return y }
    record(y) { [parallel] in
      guard let gy = y.grad else { return }
      let gyp = UnsafePointer(gy.data)
      // Pass 1: S_t and D_t per thread, for the normalised terms (skipping the images a term dropped).
      var sums = [Double](repeating: 0, count: parts * count * c * 2)
      sums.withUnsafeMutableBufferPointer { buffer in
        let sp = buffer.baseAddress!
        parallel.forEachRange(n) { part, r in
          let row = sp + part * count * c * 2
          for b in r.reversed() {
            for ch in (0..<c).reversed() {
              let o = (b * c + ch) * hw
              for t in 0..<count where terms[t].isNormalized {
                let f = Double(factors[t]?[b] ?? 1)
                guard f != 0 else { continue }
                let j = t * c + ch
                let (s, d) = vectorSumAndCenteredDot(gyp + o, pointers[t] + o, hw, mean: means[j])
                row[2 * j] += f * Double(s)
                row[2 * j + 1] += f * Double(d)
              }
            }
          }
        }
      }
      let totals = Self.channelTotals(sums, parts: parts, channels: count * c)
      // dx_t = (A f_t) dy + B x_t + C per channel.
      var coefficients = [Float](repeating: 0, count: count * c * 3)
      for t in 0..<count {
        guard terms[t].isNormalized else {
          for ch in 0..<c { coefficients[3 * (t * c + ch)] = 1 }
          continue
        }
        let gamma = terms[t].weight!
        let gw = gamma.requiresGrad ? gamma.gradient().data : nil
        let gb = terms[t].bias!.requiresGrad ? terms[t].bias!.gradient().data : nil
        for ch in 0..<c {
          let j = t * c + ch
          let inv = invStds[j]
          let (sum, centered) = (Float(totals[2 * j]), Float(totals[2 * j + 1]))
          gw?[ch] += centered * inv
          gb?[ch] += sum
          let a = gamma.data[ch] * inv
          coefficients[3 * j] = a
          if isBatch[t] {
            let bx = -a * inv * inv * centered / Float(m)
            coefficients[3 * j + 1] = bx
            coefficients[3 * j + 2] = -a * sum / Float(m) - bx * means[j]
          }
        }
      }
      Self.writeTermGradients(
        gy, terms: terms.map(\.x), pointers: pointers, normalized: terms.map(\.isNormalized),
        coefficients: coefficients, isBatch: isBatch, factors: factors, shape: (n, c, hw), parallel: parallel)
    }
    return y
  }
}
