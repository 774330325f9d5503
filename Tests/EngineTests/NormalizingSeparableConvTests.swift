import Datasets
import Engine
import TestSupport
import Testing

/// `Tape.separableConv` reading its input through a batch norm (`normalizing`, the second half of a
/// `SepConv`) against `batchNorm` followed by the plain op: values, every gradient and the running
/// statistics, in training and evaluation, with and without affine parameters, at stride 1 and 2 on odd
/// sizes; and finite-difference checks, with the input's gradient written fresh, added to an earlier one,
/// and not needed at all (only gamma's and beta's).
@Suite struct NormalizingSeparableConvTests {
  typealias Check = GradientCheckTests
  typealias Fused = FusedOpTests

  /// Running statistics away from (0, 1), so that evaluation mode is not the identity.
  static func statistics(channels: Int, seed: UInt64) -> RunningStatistics {
    var g = SplitMix64(seed: seed)
    let s = RunningStatistics(channels: channels)
    for ch in 0..<channels {
      s.mean.data[ch] = Float.random(in: -0.5...0.5, using: &g)
      s.variance.data[ch] = Float.random(in: 0.2...2, using: &g)
    }
    return s
  }

  /// x, the depthwise and pointwise weights, then gamma and beta.
  static func inputs(shape: [Int], kernel: Int, outputs: Int, seed: UInt64) -> [Tensor] {
    var g = SplitMix64(seed: seed)
    let c = shape[1]
    let gamma = Check.random([c], &g, scale: 0.5)
    for ch in 0..<c { gamma[ch] += 1 }
    return [
      Check.random(shape, &g, scale: 2), Check.random([c, 1, kernel, kernel], &g),
      Check.random([outputs, c, 1, 1], &g), gamma, Check.random([c], &g),
    ]
  }

  /// Moves the entries of x (inputs[0]) whose BN(x) (gamma, beta: inputs[3], inputs[4]) lies within 0.1 of
  /// the ReLU's kink away from it, so that finite differences at steps of 1e-3 never straddle it (one such
  /// entry moves a channel's gamma or beta derivative by several percent). Moving entries moves the batch
  /// statistics, so it is repeated until none is left near the kink.
  static func moveOffTheKink(_ inputs: [Tensor], running: RunningStatistics?, training: Bool) {
    let (x, gamma, beta) = (inputs[0], inputs[3], inputs[4])
    let (c, hw) = (x.shape[1], x.shape[2] * x.shape[3])
    for _ in 0..<50 {
      let saved = running?.saved()
      let tape = Tape(threads: 1)
      let y = tape.withoutGradients {
        tape.batchNorm(x, weight: gamma, bias: beta, running: running, training: training)
      }
      if let running, let saved { running.restore(saved) }
      let near = (0..<x.count).filter { abs(y[$0]) < 0.1 }
      if near.isEmpty { return }
      for i in near { x[i] += (y[i] < 0 ? -0.25 : 0.25) / gamma[(i / hw) % c] }
    }
    Issue.record("entries of x stay within 0.1 of the ReLU's kink")
  }

  @Test(arguments: [
    (true, true, 1, 3, [4, 5, 11, 13]), (true, false, 1, 3, [3, 8, 8, 8]), (false, true, 1, 3, [4, 5, 11, 13]),
    (true, true, 2, 3, [3, 5, 13, 19]), (false, false, 2, 5, [2, 4, 12, 17]), (true, true, 1, 5, [2, 16, 16, 16]),
    (false, true, 1, 5, [3, 3, 9, 11]),
  ])
  func matchesBatchNormThenConvolution(training: Bool, affine: Bool, stride: Int, kernel: Int, shape: [Int]) {
    let c = shape[1]
    let padding = kernel / 2
    let inputs = Self.inputs(shape: shape, kernel: kernel, outputs: c + 1, seed: UInt64(shape.reduce(0, +) + stride))
    let (fusedStatistics, referenceStatistics) = (
      Self.statistics(channels: c, seed: 4), Self.statistics(channels: c, seed: 4)
    )
    Fused.expectSame(
      affine ? inputs : Array(inputs.prefix(3)),
      fused: { tape, t in
        tape.separableConv(
          t[0], depthwise: t[1], pointwise: t[2], stride: stride, padding: padding, rectify: true,
          normalizing: InputNormalization(
            weight: affine ? t[3] : nil, bias: affine ? t[4] : nil, running: fusedStatistics, training: training))
      },
      reference: { tape, t in
        let r = tape.batchNorm(
          t[0], weight: affine ? t[3] : nil, bias: affine ? t[4] : nil, running: referenceStatistics,
          training: training)
        return tape.separableConv(r, depthwise: t[1], pointwise: t[2], stride: stride, padding: padding, rectify: true)
      })
    #expect(relativeDifference(fusedStatistics.mean, referenceStatistics.mean) <= 1e-6)
    #expect(relativeDifference(fusedStatistics.variance, referenceStatistics.variance) <= 1e-6)
    #expect(fusedStatistics.batchesTracked == referenceStatistics.batchesTracked)
  }

  /// One thread and three: the per-thread sums of the batch norm combine to the same result.
  @Test(arguments: [1, 3])
  func matchesOnOneOrThreeThreads(threads: Int) {
    let inputs = Self.inputs(shape: [7, 4, 8, 8], kernel: 3, outputs: 4, seed: UInt64(20 + threads))
    let normalization = { (t: [Tensor]) in
      InputNormalization(weight: t[3], bias: t[4], running: nil, training: true)
    }
    Fused.expectSame(
      inputs, threads: threads,
      fused: { tape, t in
        tape.separableConv(
          t[0], depthwise: t[1], pointwise: t[2], padding: 1, rectify: true, normalizing: normalization(t))
      },
      reference: { tape, t in
        tape.separableConv(
          tape.batchNorm(t[0], weight: t[3], bias: t[4]), depthwise: t[1], pointwise: t[2], padding: 1, rectify: true)
      })
  }

  @Test(arguments: [(true, 1, 3), (true, 2, 3), (false, 1, 5)])
  func gradientsMatchFiniteDifferences(training: Bool, stride: Int, kernel: Int) {
    let inputs = Self.inputs(shape: [3, 3, 9, 11], kernel: kernel, outputs: 4, seed: UInt64(30 + stride + kernel))
    let running = Self.statistics(channels: 3, seed: 8)
    Self.moveOffTheKink(inputs, running: running, training: training)
    let saved = running.saved()
    Check.check(inputs, step: 1e-3, samples: 24) { tape, t in
      running.restore(saved)
      return tape.separableConv(
        t[0], depthwise: t[1], pointwise: t[2], stride: stride, padding: kernel / 2, rectify: true,
        normalizing: InputNormalization(weight: t[3], bias: t[4], running: running, training: training))
    }
  }

  /// The input read twice (its gradient is added to the plain op's), and an input without a gradient
  /// (only the filters', gamma's and beta's are taken).
  @Test(arguments: [true, false])
  func gradientsWhenTheInputIsSharedOrConstant(inputNeedsGradient: Bool) {
    let inputs = Self.inputs(shape: [2, 3, 6, 19], kernel: 3, outputs: 3, seed: inputNeedsGradient ? 40 : 41)
    inputs[0].requiresGrad = inputNeedsGradient
    Self.moveOffTheKink(inputs, running: nil, training: true)
    let checked = inputNeedsGradient ? inputs : Array(inputs.dropFirst())
    Check.check(checked, step: 1e-3, samples: 24) { tape, t in
      let all = inputNeedsGradient ? t : [inputs[0]] + t
      let a = tape.separableConv(
        all[0], depthwise: all[1], pointwise: all[2], padding: 1, rectify: true,
        normalizing: InputNormalization(weight: all[3], bias: all[4], running: nil, training: true))
      let b = tape.separableConv(all[0], depthwise: all[1], pointwise: all[2], padding: 2, dilation: 2, rectify: false)
      return tape.add(a, b)
    }
  }
}
