import Foundation

/// Running mean and variance of a batch-norm layer, used in evaluation mode.
public final class RunningStatistics: @unchecked Sendable {
  /// Running mean per channel.
  public let mean: Tensor
  /// Running (unbiased) variance per channel.
  public let variance: Tensor
  /// Exponential-average factor, PyTorch's `momentum` (0.1).
  public var momentum: Float

  /// Zero mean and unit variance for `channels` channels.
  public init(channels: Int, momentum: Float = 0.1) {
    mean = Tensor(zeros: [channels])
    variance = Tensor(repeating: 1, shape: [channels])
    self.momentum = momentum
  }
}

extension Tape {
  /// Batch normalisation over N, H, W per channel.
  ///
  /// Training: y = (x - mean_B) / sqrt(var_B + eps) * gamma + beta with the biased batch variance; the
  /// running statistics move by running = (1 - m) running + m stat (unbiased variance), as PyTorch.
  /// Backward: dx = gamma / (M sigma) (M dy - sum dy - xhat sum(dy xhat)), dgamma = sum(dy xhat),
  /// dbeta = sum dy, M = N H W. Evaluation uses the running statistics.
  public func batchNorm(
    _ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, running: RunningStatistics? = nil,
    training: Bool = true, eps: Float = 1e-5
  ) -> Tensor {
    let (n, c, h, w) = x.nchw
    let hw = h * w
    let m = n * hw
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    let grad = needsGradient(inputs)
    let y = output(x.shape, grad: grad)
    var means = [Float](repeating: 0, count: c)
    var invStds = [Float](repeating: 0, count: c)
    let useBatch = training || running == nil
    means.withUnsafeMutableBufferPointer { meanBuffer in
      invStds.withUnsafeMutableBufferPointer { invBuffer in
        let mp = meanBuffer.baseAddress!
        let ip = invBuffer.baseAddress!
        parallel.forEachRange(c) { _, r in
          for ch in r {
            var mean: Float
            var variance: Float
            if useBatch {
              var s = 0.0
              for b in 0..<n { s += Double(vectorSum(x.data + (b * c + ch) * hw, hw)) }
              mean = Float(s / Double(m))
              var v = 0.0
              for b in 0..<n { v += Double(vectorSquaredDeviation(x.data + (b * c + ch) * hw, hw, mean: mean)) }
              variance = Float(v / Double(m))
              if training, let running {
                let mom = running.momentum
                running.mean.data[ch] = (1 - mom) * running.mean.data[ch] + mom * mean
                let unbiased = m > 1 ? variance * Float(m) / Float(m - 1) : variance
                running.variance.data[ch] = (1 - mom) * running.variance.data[ch] + mom * unbiased
              }
            } else {
              mean = running!.mean.data[ch]
              variance = running!.variance.data[ch]
            }
            let inv = 1 / (variance + eps).squareRoot()
            mp[ch] = mean
            ip[ch] = inv
            let gamma = weight?.data[ch] ?? 1
            let beta = bias?.data[ch] ?? 0
            let a = gamma * inv
            let b0 = beta - mean * a
            for b in 0..<n {
              let o = (b * c + ch) * hw
              vectorAffine(x.data + o, y.data + o, hw, scale: a, shift: b0, accumulate: false)
            }
          }
        }
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let target = x.requiresGrad ? x.gradientTarget(donatedBy: y) : nil
        let gw = weight.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        let gb = bias.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        parallel.forEachRange(c) { _, r in
          for ch in r {
            let mean = means[ch]
            let inv = invStds[ch]
            var sumDy: Float = 0
            var sumDyXhat: Float = 0
            for b in 0..<n {
              let o = (b * c + ch) * hw
              let (s0, s1) = vectorSumAndCenteredDot(gy.data + o, x.data + o, hw, mean: mean)
              sumDy += s0
              sumDyXhat += s1
            }
            sumDyXhat *= inv
            gw?[ch] += sumDyXhat
            gb?[ch] += sumDy
            guard let (gx, accumulate) = target else { continue }
            let gamma = weight?.data[ch] ?? 1
            // dx = gamma inv / M (M dy - sum dy - xhat sum(dy xhat)) = A dy + B x + C.
            let a: Float
            let bx: Float
            let c0: Float
            if useBatch {
              let k = gamma * inv / Float(m)
              a = gamma * inv
              bx = -k * sumDyXhat * inv
              c0 = -k * sumDy + k * sumDyXhat * inv * mean
            } else {
              a = gamma * inv
              bx = 0
              c0 = 0
            }
            for b in 0..<n {
              let o = (b * c + ch) * hw
              vectorLinear2(gy.data + o, x.data + o, gx + o, hw, a: a, b: bx, c: c0, accumulate: accumulate)
            }
          }
        }
      }
    }
    return y
  }
}
