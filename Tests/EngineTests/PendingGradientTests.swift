import Datasets
import TestSupport
import Testing

@testable import Engine

/// A normalised sum leaves a separable convolution's output gradient pending (`PendingGradient`) and the
/// convolution's backward writes it group by group: every gradient must equal the one through a written
/// dx (`batchNorm` then the plain sum, where nothing is left pending), for plane sizes whose scratch rows
/// are padded (32 x 32) and for groups of several images (4 x 4 planes), with batch and running statistics,
/// drop-path factors, a second reader of the output, and on one and two threads; and finite differences.
@Suite struct PendingGradientTests {
  typealias Check = GradientCheckTests

  /// x, then per convolution its depthwise and pointwise weights, then the sum's weights.
  static func inputs(shape: [Int], kernel: Int, seed: UInt64) -> [Tensor] {
    var g = SplitMix64(seed: seed)
    let c = shape[1]
    let x = Check.random(shape, &g)
    return [
      x, Check.random([c, 1, kernel, kernel], &g), Check.random([c + 1, c, 1, 1], &g),
      Check.random([c, 1, 3, 3], &g), Check.random([c + 1, c, 1, 1], &g), Check.random([4], &g),
    ]
  }

  /// Two separable convolutions of x (the second dilated): the sums' terms.
  static func convolutions(
    _ tape: Tape, _ t: [Tensor], kernel: Int, stride: Int
  ) -> (Tensor, Tensor) {
    let a = tape.separableConv(
      t[0], depthwise: t[1], pointwise: t[2], stride: stride, padding: kernel / 2, rectify: true)
    let b = tape.separableConv(
      t[0], depthwise: t[3], pointwise: t[4], stride: stride, padding: 2, dilation: 2, rectify: true)
    return (a, b)
  }

  @Test(arguments: [
    ([3, 4, 9, 7], 3, 1, 2, true), ([2, 3, 32, 32], 3, 1, 2, true), ([5, 4, 8, 8], 5, 2, 2, true),
    ([3, 4, 9, 7], 5, 1, 1, true), ([2, 3, 32, 32], 3, 1, 1, false), ([5, 4, 8, 8], 3, 2, 2, false),
  ])
  func weightedSumMatchesAWrittenGradient(shape: [Int], kernel: Int, stride: Int, threads: Int, training: Bool) {
    let fusedStatistics = NormalizedSumTests.statistics(2, channels: shape[1] + 1, seed: 9)
    let referenceStatistics = NormalizedSumTests.statistics(2, channels: shape[1] + 1, seed: 9)
    FusedOpTests.expectSame(
      Self.inputs(shape: shape, kernel: kernel, seed: UInt64(shape.reduce(1, *) + kernel)), tolerance: 2e-5,
      threads: threads,
      fused: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: kernel, stride: stride)
        return tape.normalizedWeightedSum(
          [
            WeightedTerm(normalizing: a, index: 0, running: fusedStatistics[0]),
            WeightedTerm(normalizing: b, index: 2, running: fusedStatistics[1]),
            WeightedTerm(b, index: 3),
          ], weights: t[5], shape: a.shape, training: training)
      },
      reference: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: kernel, stride: stride)
        let na = tape.batchNorm(a, running: referenceStatistics[0], training: training)
        let nb = tape.batchNorm(b, running: referenceStatistics[1], training: training)
        return tape.weightedSum([(na, 0), (nb, 2), (b, 3)], weights: t[5], shape: a.shape)
      })
  }

  /// The evaluation cell's node: affine batch norms and drop-path factors, one image dropped.
  @Test(arguments: [(1, true), (2, true), (2, false)])
  func dropPathSumMatchesAWrittenGradient(threads: Int, training: Bool) {
    let shape = [4, 3, 8, 8]
    var g = SplitMix64(seed: 21)
    let gammas = (0..<2).map { _ in Check.random([4], &g) }
    let betas = (0..<2).map { _ in Check.random([4], &g) }
    let masks: [[Float]?] = [[1, 0, 1, 1], [1, 1, 1, 0]]
    let fusedStatistics = NormalizedSumTests.statistics(2, channels: 4, seed: 3)
    let referenceStatistics = NormalizedSumTests.statistics(2, channels: 4, seed: 3)
    FusedOpTests.expectSame(
      Self.inputs(shape: shape, kernel: 3, seed: 22) + gammas + betas, tolerance: 3e-5, threads: threads,
      fused: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: 3, stride: 1)
        return tape.normalizedDropPathSum(
          [
            DropPathTerm(normalizing: a, weight: t[6], bias: t[8], running: fusedStatistics[0], mask: masks[0]),
            DropPathTerm(normalizing: b, weight: t[7], bias: t[9], running: fusedStatistics[1], mask: masks[1]),
          ], keep: 0.8, training: training)
      },
      reference: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: 3, stride: 1)
        let na = tape.batchNorm(a, weight: t[6], bias: t[8], running: referenceStatistics[0], training: training)
        let nb = tape.batchNorm(b, weight: t[7], bias: t[9], running: referenceStatistics[1], training: training)
        return tape.dropPathSum([(na, masks[0]), (nb, masks[1])], keep: 0.8)
      })
  }

  /// The convolution's output read by a second op besides the sum: that op's backward (which runs after the
  /// sum's) writes the pending gradient out before it adds its own.
  @Test func aSecondReaderGetsTheGradientWritten() {
    FusedOpTests.expectSame(
      Self.inputs(shape: [3, 4, 6, 6], kernel: 3, seed: 5), tolerance: 2e-5,
      fused: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: 3, stride: 1)
        let side = tape.relu(a)
        let sum = tape.normalizedWeightedSum(
          [
            WeightedTerm(normalizing: a, index: 0, running: nil), WeightedTerm(normalizing: b, index: 1, running: nil),
          ], weights: t[5], shape: a.shape, training: true)
        return tape.combine([(sum, 1), (side, 0.5)])
      },
      reference: { tape, t in
        let (a, b) = Self.convolutions(tape, t, kernel: 3, stride: 1)
        let side = tape.relu(a)
        let sum = tape.weightedSum(
          [(tape.batchNorm(a, running: nil, training: true), 0), (tape.batchNorm(b, running: nil, training: true), 1)],
          weights: t[5], shape: a.shape)
        return tape.combine([(sum, 1), (side, 0.5)])
      })
  }

  /// A leaf whose producer would take a pending gradient keeps it until its gradient is read, which writes
  /// it: the values of the written gradient, in one sum and across two sums over the same tensor.
  @Test(arguments: [1, 2])
  func aPendingGradientIsWrittenWhenRead(sums: Int) {
    var g = SplitMix64(seed: UInt64(40 + sums))
    let shape = [3, 2, 5, 4]
    let x = Check.random(shape, &g)
    let weights = Check.random([2], &g)
    func gradient(deferring: Bool) -> (Tensor, pending: Bool) {
      let leaf = x.copy()
      leaf.requiresGrad = true
      leaf.acceptsPendingGradient = deferring
      let tape = Tape(threads: 2)
      let outputs = (0..<sums).map { k in
        tape.normalizedWeightedSum(
          [WeightedTerm(normalizing: leaf, index: k, running: nil)], weights: weights, shape: shape, training: true)
      }
      let y = sums == 1 ? outputs[0] : tape.combine(outputs.map { ($0, 1) })
      var r = SplitMix64(seed: 7)
      y.gradient().assign(Check.random(y.shape, &r))
      tape.backward()
      let pending = leaf.pendingGradient != nil
      return (leaf.gradient().copy(), pending)
    }
    let (deferred, pending) = gradient(deferring: true)
    let (written, none) = gradient(deferring: false)
    #expect(pending == (sums == 1), "a gradient is left pending only when nothing else reads it")
    #expect(!none)
    #expect(relativeDifference(deferred, written) == 0)
  }

  /// Finite differences through a convolution whose output gradient is left pending.
  @Test func gradients() {
    let t = Self.inputs(shape: [3, 2, 6, 5], kernel: 3, seed: 11)
    Check.check(t, step: 1e-3, tolerance: 3e-2, samples: 20) { tape, t in
      let (a, b) = Self.convolutions(tape, t, kernel: 3, stride: 2)
      return tape.normalizedWeightedSum(
        [WeightedTerm(normalizing: a, index: 1, running: nil), WeightedTerm(normalizing: b, index: 3, running: nil)],
        weights: t[5], shape: a.shape, training: true)
    }
  }
}
