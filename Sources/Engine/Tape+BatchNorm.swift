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
              for b in 0..<n {
                let p = x.data + (b * c + ch) * hw
                var t: Float = 0
                for i in 0..<hw { t += p[i] }
                s += Double(t)
              }
              mean = Float(s / Double(m))
              var v = 0.0
              for b in 0..<n {
                let p = x.data + (b * c + ch) * hw
                var t: Float = 0
                for i in 0..<hw {
                  let d = p[i] - mean
                  t += d * d
                }
                v += Double(t)
              }
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
              let src = x.data + (b * c + ch) * hw
              let dst = y.data + (b * c + ch) * hw
              for i in 0..<hw { dst[i] = src[i] * a + b0 }
            }
          }
        }
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gx = x.requiresGrad ? x.gradient().data : nil
        let gw = weight.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        let gb = bias.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        parallel.forEachRange(c) { _, r in
          for ch in r {
            let mean = means[ch]
            let inv = invStds[ch]
            var sumDy: Float = 0
            var sumDyXhat: Float = 0
            for b in 0..<n {
              let xp = x.data + (b * c + ch) * hw
              let gp = gy.data + (b * c + ch) * hw
              var s0: Float = 0
              var s1: Float = 0
              for i in 0..<hw {
                s0 += gp[i]
                s1 += gp[i] * (xp[i] - mean)
              }
              sumDy += s0
              sumDyXhat += s1
            }
            sumDyXhat *= inv
            gw?[ch] += sumDyXhat
            gb?[ch] += sumDy
            guard let gx else { continue }
            let gamma = weight?.data[ch] ?? 1
            if useBatch {
              let k = gamma * inv / Float(m)
              let meanDy = sumDy
              for b in 0..<n {
                let xp = x.data + (b * c + ch) * hw
                let gp = gy.data + (b * c + ch) * hw
                let dst = gx + (b * c + ch) * hw
                for i in 0..<hw {
                  let xhat = (xp[i] - mean) * inv
                  dst[i] += k * (Float(m) * gp[i] - meanDy - xhat * sumDyXhat)
                }
              }
            } else {
              let k = gamma * inv
              for b in 0..<n {
                let gp = gy.data + (b * c + ch) * hw
                let dst = gx + (b * c + ch) * hw
                for i in 0..<hw { dst[i] += k * gp[i] }
              }
            }
          }
        }
      }
    }
    return y
  }
}
