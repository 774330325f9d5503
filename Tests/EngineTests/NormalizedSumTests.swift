import Datasets
import Engine
import TestSupport
import Testing

/// `Tape.normalizedWeightedSum` (a search cell node: its primitives' affine-free batch norms folded into
/// the weighted sum) against `batchNorm` then `weightedSum`: values, every input gradient, the weights'
/// gradient and the running statistics, in training and in evaluation, on one to three threads, with
/// plain terms, a tensor in two terms and weights that do not need a gradient; and finite differences.
@Suite struct NormalizedSumTests {
  typealias Check = GradientCheckTests

  /// Which terms are normalised, per case: the pattern repeats over the inputs.
  static func terms(_ t: [Tensor], normalized: [Bool], statistics: [RunningStatistics]) -> [WeightedTerm] {
    t.indices.map { i in
      normalized[i % normalized.count]
        ? WeightedTerm(normalizing: t[i], index: 2 * i + 1, running: statistics[i])
        : WeightedTerm(t[i], index: 2 * i + 1)
    }
  }

  static func statistics(_ count: Int, channels: Int, seed: UInt64) -> [RunningStatistics] {
    var g = SplitMix64(seed: seed)
    return (0..<count).map { _ in
      let s = RunningStatistics(channels: channels)
      for ch in 0..<channels {
        s.mean.data[ch] = Float.random(in: -0.5...0.5, using: &g)
        s.variance.data[ch] = Float.random(in: 0.5...2, using: &g)
      }
      return s
    }
  }

  /// The fused op and the reference over the same inputs (the last input is the weights) with their
  /// own copies of the running statistics, which must end equal.
  static func expectSame(
    shape: [Int], termCount: Int, normalized: [Bool], training: Bool, threads: Int, seed: UInt64,
    weightsNeedGradient: Bool = true
  ) {
    var g = SplitMix64(seed: seed)
    var inputs = (0..<termCount).map { _ in Check.random(shape, &g) }
    // Offsets and scales unlike a unit normal, as real op outputs are.
    for (k, x) in inputs.enumerated() {
      for i in 0..<x.count { x[i] = x[i] * Float(k + 1) + Float(k) - 1 }
    }
    let weights = Check.random([2 * termCount + 1], &g)
    weights.requiresGrad = weightsNeedGradient
    inputs.append(weights)
    let fusedStatistics = statistics(termCount, channels: shape[1], seed: seed)
    let referenceStatistics = statistics(termCount, channels: shape[1], seed: seed)
    FusedOpTests.expectSame(
      inputs, tolerance: 2e-5, threads: threads,
      fused: { tape, t in
        tape.normalizedWeightedSum(
          terms(Array(t.dropLast()), normalized: normalized, statistics: fusedStatistics), weights: t.last!,
          shape: shape, training: training)
      },
      reference: { tape, t in
        let parts = t.dropLast().enumerated().map { i, x -> (Tensor, Int) in
          let normal = normalized[i % normalized.count]
          let y = normal ? tape.batchNorm(x, running: referenceStatistics[i], training: training) : x
          return (y, 2 * i + 1)
        }
        return tape.weightedSum(parts, weights: t.last!, shape: shape)
      })
    for (a, b) in zip(fusedStatistics, referenceStatistics) {
      #expect(relativeDifference(a.mean, b.mean) <= 1e-6)
      #expect(relativeDifference(a.variance, b.variance) <= 1e-6)
      #expect(a.batchesTracked == b.batchesTracked)
    }
  }

  @Test(arguments: [
    ([3, 2, 5, 7], 3, 2, true), ([4, 3, 8, 8], 7, 2, true), ([5, 4, 3, 3], 4, 1, true), ([2, 3, 9, 11], 5, 3, true),
    ([3, 2, 5, 7], 3, 2, false), ([4, 3, 8, 8], 6, 1, false),
  ])
  func matchesBatchNormThenWeightedSum(shape: [Int], terms: Int, threads: Int, training: Bool) {
    Self.expectSame(
      shape: shape, termCount: terms, normalized: [true, true, false], training: training, threads: threads,
      seed: UInt64(shape.reduce(1, *) * terms + threads))
  }

  @Test(arguments: [true, false])
  func everyTermNormalizedAndWeightsWithoutGradient(training: Bool) {
    Self.expectSame(
      shape: [3, 4, 6, 5], termCount: 4, normalized: [true], training: training, threads: 2, seed: 17,
      weightsNeedGradient: false)
  }

  /// Without a normalised term the op is `weightedSum` itself.
  @Test func plainTermsAreTheWeightedSum() {
    Self.expectSame(shape: [2, 3, 4, 4], termCount: 3, normalized: [false], training: true, threads: 2, seed: 4)
  }

  /// One tensor as a normalised and a plain term (a state read by two primitives of an edge) and an
  /// intermediate term, by finite differences of every input and of the weights.
  @Test(arguments: [true, false])
  func gradients(training: Bool) {
    var g = SplitMix64(seed: training ? 31 : 32)
    let x = Check.random([4, 3, 5, 3], &g)
    let other = Check.random([4, 3, 5, 3], &g)
    let weights = Check.random([5], &g)
    let stats = Self.statistics(3, channels: 3, seed: 5)
    Check.check([x, other, weights], step: 1e-3, tolerance: 3e-2, samples: 30) { tape, t in
      let saved = stats.map { $0.saved() }
      defer { for (s, v) in zip(stats, saved) { s.restore(v) } }
      return tape.normalizedWeightedSum(
        [
          WeightedTerm(normalizing: t[0], index: 0, running: stats[0]),
          WeightedTerm(t[0], index: 3),
          WeightedTerm(normalizing: tape.combine([(t[1], 1.5)]), index: 4, running: stats[1]),
          WeightedTerm(normalizing: t[1], index: 1, running: training ? nil : stats[2]),
        ], weights: t[2], shape: [4, 3, 5, 3], training: training)
    }
  }

  /// A constant plane normalises to zero (zero variance gives 1/sqrt(eps), times zero), and NaN passes.
  @Test func constantAndNaNInputs() {
    let tape = Tape(threads: 2)
    let w = Tensor(repeating: 1, shape: [2])
    let constant = Tensor(repeating: 3, shape: [2, 1, 2, 2])
    let y = tape.normalizedWeightedSum(
      [WeightedTerm(normalizing: constant, index: 0, running: nil)], weights: w, shape: [2, 1, 2, 2], training: true)
    #expect(y.scalars == [Float](repeating: 0, count: 8))
    let bad = Tensor(repeating: 1, shape: [2, 1, 2, 2])
    bad[3] = .nan
    let z = tape.normalizedWeightedSum(
      [WeightedTerm(normalizing: bad, index: 1, running: nil)], weights: w, shape: [2, 1, 2, 2], training: true)
    let allNaN = z.scalars.allSatisfy { $0.isNaN }
    #expect(allNaN)
  }
}
