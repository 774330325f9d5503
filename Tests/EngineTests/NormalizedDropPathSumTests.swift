import Datasets
import Engine
import TestSupport
import Testing

/// `Tape.normalizedDropPathSum` (an evaluation cell's node: each edge's last affine batch norm folded into
/// the drop-path sum) against `batchNorm` then `dropPathSum`: values, the gradients of every input and of
/// gamma and beta, and the running statistics, in training and in evaluation, on one to three threads,
/// with dropped images, a plain term without a mask (the identity), a tensor in two terms; and finite
/// differences.
@Suite struct NormalizedDropPathSumTests {
  typealias Check = GradientCheckTests

  /// Per term: x, gamma, beta (the inputs, in that order), whether it is normalised, its mask.
  struct Case {
    var shape: [Int]
    var normalized: [Bool]
    var masks: [[Float]?]
    var keep: Float = 0.75
  }

  static func inputs(_ c: Case, seed: UInt64) -> [Tensor] {
    var g = SplitMix64(seed: seed)
    return c.normalized.indices.flatMap { k -> [Tensor] in
      let x = Check.random(c.shape, &g)
      // Offsets and scales unlike a unit normal, as real op outputs are.
      for i in 0..<x.count { x[i] = x[i] * Float(k + 1) + Float(k) - 1 }
      let gamma = Check.random([c.shape[1]], &g)
      for i in 0..<gamma.count { gamma[i] += 1.5 }
      return [x, gamma, Check.random([c.shape[1]], &g)]
    }
  }

  static func terms(_ t: [Tensor], _ c: Case, statistics: [RunningStatistics]) -> [DropPathTerm] {
    c.normalized.indices.map { k in
      c.normalized[k]
        ? DropPathTerm(
          normalizing: t[3 * k], weight: t[3 * k + 1], bias: t[3 * k + 2], running: statistics[k], mask: c.masks[k])
        : DropPathTerm(t[3 * k], mask: c.masks[k])
    }
  }

  static func expectSame(_ c: Case, training: Bool, threads: Int, seed: UInt64) {
    let count = c.normalized.count
    let fusedStatistics = NormalizedSumTests.statistics(count, channels: c.shape[1], seed: seed)
    let referenceStatistics = NormalizedSumTests.statistics(count, channels: c.shape[1], seed: seed)
    FusedOpTests.expectSame(
      inputs(c, seed: seed), tolerance: 3e-5, threads: threads,
      fused: { tape, t in
        tape.normalizedDropPathSum(terms(t, c, statistics: fusedStatistics), keep: c.keep, training: training)
      },
      reference: { tape, t in
        let parts = c.normalized.indices.map { k -> (Tensor, mask: [Float]?) in
          let x = t[3 * k]
          let y =
            c.normalized[k]
            ? tape.batchNorm(
              x, weight: t[3 * k + 1], bias: t[3 * k + 2], running: referenceStatistics[k], training: training)
            : x
          return (y, c.masks[k])
        }
        return tape.dropPathSum(parts, keep: c.keep)
      })
    for (a, b) in zip(fusedStatistics, referenceStatistics) {
      #expect(relativeDifference(a.mean, b.mean) <= 1e-6)
      #expect(relativeDifference(a.variance, b.variance) <= 1e-6)
      #expect(a.batchesTracked == b.batchesTracked)
    }
  }

  @Test(arguments: [(true, 1), (true, 2), (true, 3), (false, 2)])
  func matchesBatchNormThenDropPathSum(training: Bool, threads: Int) {
    // Two normalised edges (the second drops images 0 and 3) and an identity edge, on 37-column planes.
    let c = Case(
      shape: [5, 3, 4, 37], normalized: [true, true, false], masks: [[1, 1, 0, 1, 1], [0, 1, 1, 0, 1], nil])
    Self.expectSame(c, training: training, threads: threads, seed: UInt64(threads + (training ? 10 : 20)))
  }

  /// Every image of a term dropped, and a term without a mask: the batch statistics still tie the dropped
  /// images' gradients to the others.
  @Test(arguments: [true, false])
  func wholeTermDroppedAndUnmasked(training: Bool) {
    let c = Case(shape: [4, 2, 5, 6], normalized: [true, true], masks: [[0, 0, 0, 0], nil], keep: 0.5)
    Self.expectSame(c, training: training, threads: 2, seed: training ? 41 : 42)
  }

  /// Without a normalised term the op is `dropPathSum` itself.
  @Test func plainTermsAreTheDropPathSum() {
    let c = Case(shape: [3, 2, 4, 4], normalized: [false, false], masks: [[1, 0, 1], nil])
    Self.expectSame(c, training: true, threads: 2, seed: 5)
  }

  /// One tensor as a normalised term and as a plain one (a state read by two edges of a node), by finite
  /// differences of the inputs, gamma and beta.
  @Test(arguments: [true, false])
  func gradients(training: Bool) {
    var g = SplitMix64(seed: training ? 51 : 52)
    let x = Check.random([4, 3, 5, 3], &g)
    let other = Check.random([4, 3, 5, 3], &g)
    let gamma = Check.random([3], &g)
    let beta = Check.random([3], &g)
    let stats = NormalizedSumTests.statistics(2, channels: 3, seed: 7)
    Check.check([x, other, gamma, beta], step: 1e-3, tolerance: 3e-2, samples: 30) { tape, t in
      let saved = stats.map { $0.saved() }
      defer { for (s, v) in zip(stats, saved) { s.restore(v) } }
      return tape.normalizedDropPathSum(
        [
          DropPathTerm(normalizing: t[0], weight: t[2], bias: t[3], running: stats[0], mask: [1, 0, 1, 1]),
          DropPathTerm(t[0], mask: [0, 1, 1, 0]),
          DropPathTerm(normalizing: t[1], weight: t[2], bias: t[3], running: training ? nil : stats[1], mask: nil),
        ], keep: 0.8, training: training)
    }
  }
}
