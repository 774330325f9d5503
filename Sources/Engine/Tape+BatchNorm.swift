import Foundation

/// Running mean and variance of a batch-norm layer, used in evaluation mode.
public final class RunningStatistics: @unchecked Sendable {
  /// Running mean per channel.
  public let mean: Tensor
  /// Running (unbiased) variance per channel.
  public let variance: Tensor
  /// Exponential-average factor, PyTorch's `momentum` (0.1).
  public var momentum: Float
  /// Training-mode forwards so far: PyTorch's `num_batches_tracked` buffer (an int64 entry of the
  /// state_dict, which a strict load expects); with a momentum set the update does not use it.
  public var batchesTracked = 0

  /// Zero mean and unit variance for `channels` channels.
  public init(channels: Int, momentum: Float = 0.1) {
    mean = Tensor(zeros: [channels])
    variance = Tensor(repeating: 1, shape: [channels])
    self.momentum = momentum
  }
}

extension RunningStatistics {
  /// The statistics' values: mean, variance and the batch count.
  public struct Saved: @unchecked Sendable {
    let mean: Tensor
    let variance: Tensor
    let batchesTracked: Int
  }

  /// A copy of the statistics, to undo the updates of a step.
  public func saved() -> Saved {
    Saved(mean: mean.copy(), variance: variance.copy(), batchesTracked: batchesTracked)
  }

  /// Puts the statistics back as `saved` copied them.
  public func restore(_ saved: Saved) {
    mean.assign(saved.mean)
    variance.assign(saved.variance)
    batchesTracked = saved.batchesTracked
  }
}

extension RunningStatistics {
  /// Moves channel `ch` toward a batch's statistics over `count` values, as PyTorch's training mode does:
  /// running = (1 - momentum) running + momentum stat, with the unbiased variance var * n / (n - 1).
  func update(channel ch: Int, mean: Float, variance: Float, count n: Int) {
    self.mean.data[ch] = (1 - momentum) * self.mean.data[ch] + momentum * mean
    let unbiased = n > 1 ? variance * Float(n) / Float(n - 1) : variance
    self.variance.data[ch] = (1 - momentum) * self.variance.data[ch] + momentum * unbiased
  }
}

extension Tape {
  /// The mean and biased variance of `count` values from their sums shifted by K = `shift`:
  /// mean = K + S/n and var = Q/n - (S/n)^2 with S = sum(x - K), Q = sum((x - K)^2), in double precision.
  static func moments(sum s: Double, squares q: Double, shift: Float, count n: Int) -> (mean: Float, variance: Float) {
    let shiftedMean = s / Double(n)
    return (Float(Double(shift) + shiftedMean), Float(max(0, q / Double(n) - shiftedMean * shiftedMean)))
  }

  /// Batch normalisation over N, H, W per channel.
  ///
  /// Training: y = (x - mean_B) / sqrt(var_B + eps) * gamma + beta with the biased batch variance; the
  /// running statistics move by running = (1 - m) running + m stat (unbiased variance), as PyTorch.
  /// Backward: dx = gamma / (M sigma) (M dy - sum dy - xhat sum(dy xhat)), dgamma = sum(dy xhat),
  /// dbeta = sum dy, M = N H W. Evaluation (`training: false` with `running`) uses the running
  /// statistics, as PyTorch's eval mode: y = (x - mean_R) / sqrt(var_R + eps) * gamma + beta, and backward
  /// dx = dy gamma / sqrt(var_R + eps), dgamma = sum(dy xhat), dbeta = sum dy (the statistics are
  /// constants). Without `running` the batch statistics are used in either mode.
  ///
  /// Work is split by images, so each thread streams through contiguous memory (and, with the pool's
  /// part affinity, the same memory in forward and backward). The per-channel sums are taken per thread
  /// and combined in thread order: two passes over x forward (sums, then y) and two over dy backward.
  /// The variance uses sums shifted by the channel's first value K (var = E[(x-K)^2] - E[x-K]^2, in double
  /// precision), which keeps the one-pass formula accurate when |mean| is large against the spread.
  public func batchNorm(
    _ x: Tensor, weight: Tensor? = nil, bias: Tensor? = nil, running: RunningStatistics? = nil,
    training: Bool = true, eps: Float = 1e-5
  ) -> Tensor {
    materialize(x)
    let (n, c, h, w) = x.nchw
    let hw = h * w
    let m = n * hw
    var inputs = [x]
    if let weight { inputs.append(weight) }
    if let bias { inputs.append(bias) }
    let grad = needsGradient(inputs)
    let y = output(x.shape, grad: grad)
    let (batch, means, invStds) = termStatistics(
      [UnsafePointer(x.data)], normalized: [true], running: [running], training: training, eps: eps,
      shape: (n, c, hw), moments: [x.planeMoments])
    let useBatch = batch[0]
    let parts = parallel.parts(n)
    // y = a x + b0 per channel.
    var scales = [Float](repeating: 0, count: c)
    var offsets = [Float](repeating: 0, count: c)
    for ch in 0..<c {
      let a = (weight?.data[ch] ?? 1) * invStds[ch]
      scales[ch] = a
      offsets[ch] = (bias?.data[ch] ?? 0) - means[ch] * a
    }
    // Pass 2 walks the images backwards: the planes pass 1 read last are still in this thread's cache.
    parallel.forEachRange(n) { _, r in
      for b in r.reversed() {
        for ch in (0..<c).reversed() {
          let o = (b * c + ch) * hw
          vectorAffine(x.data + o, y.data + o, hw, scale: scales[ch], shift: offsets[ch], accumulate: false)
        }
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gw = weight.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        let gb = bias.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
        // Pass 1: per-thread (sum dy, sum dy (x - mean)) per channel, combined in thread order. It walks the
        // images backwards: the op that wrote dy (the seed, or the next op's backward) ended there, so
        // those planes are still in this thread's cache; pass 2 then starts where pass 1 ended. With the
        // running statistics only dgamma and dbeta need the sums.
        var sums = [Double](repeating: 0, count: parts * c * 2)
        let needSums = useBatch || gw != nil || gb != nil
        sums.withUnsafeMutableBufferPointer { buffer in
          guard needSums else { return }
          let sp = buffer.baseAddress!
          parallel.forEachRange(n) { part, r in
            let row = sp + part * c * 2
            for b in r.reversed() {
              for ch in (0..<c).reversed() {
                let o = (b * c + ch) * hw
                let (s0, s1) = vectorSumAndCenteredDot(gy.data + o, x.data + o, hw, mean: means[ch])
                row[2 * ch] += Double(s0)
                row[2 * ch + 1] += Double(s1)
              }
            }
          }
        }
        // dx = A dy + B x + C per channel, with
        // A = gamma inv, B = -gamma inv^3 sum(dy (x - mean)) / M, C = -gamma inv sum dy / M - B mean.
        var coefficients = [Float](repeating: 0, count: c * 3)
        let totals = Self.channelTotals(sums, parts: parts, channels: c)
        for ch in 0..<c {
          let sumDy = totals[2 * ch]
          let sumDyCentered = totals[2 * ch + 1]
          let inv = invStds[ch]
          let sumDyXhat = Float(sumDyCentered) * inv
          gw?[ch] += sumDyXhat
          gb?[ch] += Float(sumDy)
          let gamma = weight?.data[ch] ?? 1
          coefficients[3 * ch] = gamma * inv
          if useBatch {
            let k = gamma * inv / Float(m)
            let bx = -k * sumDyXhat * inv
            coefficients[3 * ch + 1] = bx
            coefficients[3 * ch + 2] = -k * Float(sumDy) - bx * means[ch]
          }
        }
        guard x.requiresGrad else { return }
        // Pass 2, in place over dy when dy's buffer is handed over. With the running statistics dx = A dy
        // alone (x is not read, so an infinite x does not turn into NaN through 0 x).
        let (gx, accumulate) = x.gradientTarget(donatedBy: y)
        parallel.forEachRange(n) { _, r in
          for b in r {
            for ch in 0..<c {
              let o = (b * c + ch) * hw
              if useBatch {
                vectorLinear2(
                  gy.data + o, x.data + o, gx + o, hw, a: coefficients[3 * ch], b: coefficients[3 * ch + 1],
                  c: coefficients[3 * ch + 2], accumulate: accumulate)
              } else {
                vectorScaleAdd(gy.data + o, gx + o, hw, scale: coefficients[3 * ch], accumulate: accumulate)
              }
            }
          }
        }
      }
    }
    return y
  }

  /// The per-channel statistics of the normalised ones among several NCHW tensors of one shape (n, c, hw):
  /// `batchNorm`'s for its one tensor, and the normalised sums' for their terms. Batch statistics (mean,
  /// biased variance from sums shifted by each channel's first value, in double across images; the running
  /// ones move by the momentum) in training or without running statistics, the running ones otherwise. Returns which tensors took batch
  /// statistics, and each tensor's means and inverse deviations 1 / sqrt(var + eps) at index t * c + ch (0
  /// and 1 for a tensor not normalised). A tensor whose `moments` its producer took (`PlaneMoments`, the
  /// same shifted sums per plane) is not read; the others are, split by images. Deterministic for a fixed
  /// thread count.
  func termStatistics(
    _ pointers: [UnsafePointer<Float>], normalized: [Bool], running: [RunningStatistics?], training: Bool,
    eps: Float, shape: (n: Int, c: Int, hw: Int), moments: [PlaneMoments?] = []
  ) -> (isBatch: [Bool], means: [Float], invStds: [Float]) {
    let (n, c, hw) = shape
    let count = pointers.count
    let parts = parallel.parts(n)
    var means = [Float](repeating: 0, count: count * c)
    var invStds = [Float](repeating: 1, count: count * c)
    let isBatch = (0..<count).map { normalized[$0] && (training || running[$0] == nil) }
    let batchTerms = (0..<count).filter { isBatch[$0] }
    let taken = (0..<count).map { t in
      t < moments.count
        ? moments[t].flatMap { m in m.images == n && m.channels == c && m.planeSize == hw ? m : nil } : nil
    }
    let readTerms = batchTerms.filter { taken[$0] == nil }
    if !batchTerms.isEmpty {
      var shifts = [Float](repeating: 0, count: count * c)
      for t in readTerms { for ch in 0..<c { shifts[t * c + ch] = pointers[t][ch * hw] } }
      var sums = [Double](repeating: 0, count: parts * count * c * 2)
      sums.withUnsafeMutableBufferPointer { buffer in
        let sp = buffer.baseAddress!
        guard !readTerms.isEmpty else { return }
        parallel.forEachRange(n) { part, r in
          let row = sp + part * count * c * 2
          for b in r {
            for t in readTerms {
              for ch in 0..<c {
                let (s, q) = vectorShiftedSums(pointers[t] + (b * c + ch) * hw, hw, shift: shifts[t * c + ch])
                row[2 * (t * c + ch)] += Double(s)
                row[2 * (t * c + ch) + 1] += Double(q)
              }
            }
          }
        }
      }
      let totals = Self.channelTotals(sums, parts: parts, channels: count * c)
      for t in batchTerms {
        let updated = training ? running[t] : nil
        updated?.batchesTracked += 1
        for ch in 0..<c {
          let j = t * c + ch
          let (shift, sum, squares) = taken[t]?.channelSums(ch) ?? (shifts[j], totals[2 * j], totals[2 * j + 1])
          let (mean, variance) = Self.moments(sum: sum, squares: squares, shift: shift, count: n * hw)
          updated?.update(channel: ch, mean: mean, variance: variance, count: n * hw)
          means[j] = mean
          invStds[j] = 1 / (variance + eps).squareRoot()
        }
      }
    }
    for t in 0..<count where normalized[t] && !isBatch[t] {
      for ch in 0..<c {
        means[t * c + ch] = running[t]!.mean.data[ch]
        invStds[t * c + ch] = 1 / (running[t]!.variance.data[ch] + eps).squareRoot()
      }
    }
    return (isBatch, means, invStds)
  }

  /// The per-channel pairs of per-thread sums (`sums[(part * channels + ch) * 2 + k]`) added up in part
  /// order: `[channels * 2]`, deterministic for a fixed thread count.
  static func channelTotals(_ sums: [Double], parts: Int, channels: Int) -> [Double] {
    var totals = [Double](repeating: 0, count: channels * 2)
    for part in 0..<parts {
      for k in 0..<(channels * 2) { totals[k] += sums[part * channels * 2 + k] }
    }
    return totals
  }
}
