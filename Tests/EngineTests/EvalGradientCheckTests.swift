import Datasets
import Engine
import Testing

/// Finite-difference checks of the evaluation network's ops (see `GradientCheckTests.check`): drop path,
/// unpadded average pooling, the whole-window dense convolution, eval-mode batch norm with affine
/// parameters, and the auxiliary head as one composite; each also into a gradient that already holds a
/// value (the input used twice).
@Suite struct EvalGradientCheckTests {
  typealias Check = GradientCheckTests

  /// One image dropped; images whose span does not fill whole vectors, and on the last case a tensor
  /// large enough to be split over the two threads, the boundary inside an image.
  @Test(arguments: [[5, 3, 5, 7], [3, 2, 4, 4], [3, 8, 40, 70]])
  func dropPath(shape: [Int]) {
    var g = SplitMix64(seed: UInt64(200 + shape[0]))
    let x = Check.random(shape, &g)
    let mask = (0..<shape[0]).map { $0 == 1 ? Float(0) : 1 }
    Check.check([x], samples: 40) { tape, t in tape.dropPath(t[0], keep: 0.7, mask: mask) }
    Check.check([x], samples: 40) { tape, t in
      tape.add(tape.dropPath(t[0], keep: 0.7, mask: mask), tape.dropPath(t[0], keep: 0.6, mask: mask))
    }
  }

  /// Drop path after a view: a channel concatenation is read densely, its gradient split into the parts.
  @Test func dropPathOfAConcatenation() {
    var g = SplitMix64(seed: 210)
    let a = Check.random([3, 2, 4, 5], &g)
    let b = Check.random([3, 3, 4, 5], &g)
    Check.check([a, b], samples: 30) { tape, t in
      tape.dropPath(tape.concatChannels([t[0], t[1]]), keep: 0.8, mask: [1, 0, 1])
    }
  }

  /// The mask helper: N draws of 0 or 1, reproducible from the generator's seed, with a frequency of ones
  /// near `keep`; keep 1 keeps everything.
  @Test func dropPathMaskIsBernoulli() {
    var g = SplitMix64(seed: 220)
    let mask = Tape.dropPathMask(images: 20_000, keep: 0.8, using: &g)
    #expect(mask.count == 20_000)
    #expect(mask.allSatisfy { $0 == 0 || $0 == 1 })
    let frequency = Double(mask.reduce(0, +)) / Double(mask.count)
    #expect(abs(frequency - 0.8) < 0.015, "frequency of ones \(frequency)")
    var again = SplitMix64(seed: 220)
    #expect(Tape.dropPathMask(images: 20_000, keep: 0.8, using: &again) == mask)
    #expect(Tape.dropPathMask(images: 64, keep: 1, using: &g).allSatisfy { $0 == 1 })
  }

  /// Unpadded average pooling: the auxiliary head's 5x5 at stride 3 on 8x8 and stride 2 on 7x7, rows and
  /// columns past the last window (9 x 11 at stride 3), non-overlapping windows (stride above the kernel)
  /// and a wide plane at stride 1 (whole and partial vectors in the row sums).
  @Test(arguments: [
    ([2, 3, 8, 8], 5, 3), ([2, 3, 7, 7], 5, 2), ([1, 2, 9, 11], 5, 3), ([2, 2, 7, 9], 2, 3), ([1, 2, 6, 21], 3, 1),
  ])
  func unpaddedAveragePool(shape: [Int], kernel: Int, stride: Int) {
    var g = SplitMix64(seed: UInt64(230 + kernel * 7 + stride + shape[3]))
    let x = Check.random(shape, &g)
    Check.check([x], samples: 40) { tape, t in tape.averagePool(t[0], kernel: kernel, stride: stride, padding: 0) }
    Check.check([x], samples: 40) { tape, t in
      tape.add(
        tape.averagePool(t[0], kernel: kernel, stride: stride, padding: 0),
        tape.averagePool(t[0], kernel: kernel, stride: stride, padding: 0))
    }
  }

  /// Dense convolutions without padding: 2x2 on 2x2 and 3x3 on 3x3 (the whole-window GEMM path, also at
  /// stride 2), and 2x2 on larger planes (the im2col path).
  @Test(arguments: [
    ([3, 5, 2, 2], 2, 1), ([2, 3, 3, 3], 3, 1), ([3, 4, 2, 2], 2, 2), ([2, 3, 5, 4], 2, 1), ([2, 3, 6, 7], 2, 2),
  ])
  func unpaddedDenseConvolution(shape: [Int], kernel: Int, stride: Int) {
    var g = SplitMix64(seed: UInt64(250 + kernel * 5 + stride + shape[2]))
    let x = Check.random(shape, &g)
    let w = Check.random([7, shape[1], kernel, kernel], &g)
    Check.check([x, w], samples: 40) { tape, t in tape.conv2d(t[0], weight: t[1], stride: stride) }
    Check.check([x, w], samples: 40) { tape, t in
      tape.add(tape.conv2d(t[0], weight: t[1], stride: stride), tape.conv2d(t[0], weight: t[1], stride: stride))
    }
  }

  /// Batch norm in eval mode with affine weight and bias: gradients for x, gamma and beta through the
  /// running statistics (constants), fresh and accumulating.
  @Test func batchNormEvalModeAffine() {
    var g = SplitMix64(seed: 270)
    let x = Check.random([3, 4, 3, 5], &g)
    let gamma = Check.random([4], &g)
    let beta = Check.random([4], &g)
    let stats = RunningStatistics(channels: 4)
    for c in 0..<4 {
      stats.mean[c] = 0.2 * Float(c) - 0.3
      stats.variance[c] = 0.5 + Float(c)
    }
    Check.check([x, gamma, beta]) { tape, t in
      tape.batchNorm(t[0], weight: t[1], bias: t[2], running: stats, training: false)
    }
    Check.check([x, gamma, beta]) { tape, t in
      let a = tape.batchNorm(t[0], weight: t[1], bias: t[2], running: stats, training: false)
      return tape.add(a, tape.batchNorm(t[0], weight: t[1], bias: t[2], running: stats, training: false))
    }
    // Only gamma and beta take a gradient, and only x.
    x.requiresGrad = false
    Check.check([x, gamma, beta]) { tape, t in
      tape.batchNorm(t[0], weight: t[1], bias: t[2], running: stats, training: false)
    }
    x.requiresGrad = true
    gamma.requiresGrad = false
    beta.requiresGrad = false
    Check.check([x, gamma, beta]) { tape, t in
      tape.batchNorm(t[0], weight: t[1], bias: t[2], running: stats, training: false)
    }
  }

  /// The auxiliary head, scaled down (C = 3 on 8x8, 5 and 6 channels instead of 128 and 768), with
  /// training-mode batch norm, as one composite.
  @Test func auxiliaryHead() {
    var g = SplitMix64(seed: 280)
    let x = Check.random([4, 3, 8, 8], &g)
    let w1 = Check.random([5, 3, 1, 1], &g)
    let g1 = Check.random([5], &g)
    let b1 = Check.random([5], &g)
    let w2 = Check.random([6, 5, 2, 2], &g)
    let g2 = Check.random([6], &g)
    let b2 = Check.random([6], &g)
    let wl = Check.random([4, 6], &g)
    let bl = Check.random([4], &g)
    Check.check([x, w1, g1, b1, w2, g2, b2, wl, bl], step: 2e-3, samples: 16) { tape, t in
      var h = tape.averagePool(tape.relu(t[0]), kernel: 5, stride: 3, padding: 0)
      h = tape.relu(tape.batchNorm(tape.conv2d(h, weight: t[1]), weight: t[2], bias: t[3]))
      h = tape.relu(tape.batchNorm(tape.conv2d(h, weight: t[4]), weight: t[5], bias: t[6]))
      return tape.linear(h, weight: t[7], bias: t[8])
    }
  }
}
