import Datasets
import Engine
import TestSupport
import Testing

/// `Tape.batchNorm` leaves its input gradient dx = A dy + B x + C pending (`PendingGradient`) on the output
/// of a 1x1 convolution (`pointwiseConvs`, which writes it image by image into the rows its products read)
/// or of a separable convolution. Every gradient must equal the one through a written dx (the norm reading
/// x + 0, whose gradient `add` writes in full): stacked and single convolutions, stride 1 and 2, the
/// read-in-place path, padded scratch rows (32 x 32) and groups of images (4 x 4), batch and running
/// statistics, one and two threads, outputs left pending beside outputs with a written gradient, and a
/// second reader of a convolution's output whose backward runs before the norm's or after it; and
/// finite-difference checks of the deferred path.
@Suite struct DeferredBatchNormGradientTests {
  typealias Check = GradientCheckTests

  /// Where a second reader (a ReLU) of the first convolution output is recorded, if there is one.
  enum SecondReader: CaseIterable { case none, beforeTheNorm, afterIt }

  /// x, three 1x1 weights of `outputs` rows, then gamma and beta.
  static func inputs(shape: [Int], outputs: Int, seed: UInt64) -> [Tensor] {
    var g = SplitMix64(seed: seed)
    let c = shape[1]
    let gamma = Check.random([outputs], &g, scale: 0.5)
    for ch in 0..<outputs { gamma[ch] += 1 }
    return [Check.random(shape, &g)] + (0..<3).map { _ in Check.random([outputs, c, 1, 1], &g) } + [
      gamma, Check.random([outputs], &g),
    ]
  }

  /// relu(x) (or x) through three stacked 1x1 convolutions; the first two outputs are batch-normalised
  /// (through a written gradient when `written`), the third is read by a ReLU, and the three are summed.
  static func build(
    _ tape: Tape, _ t: [Tensor], written: Bool, stride: Int, rectify: Bool, training: Bool,
    statistics: [RunningStatistics], reader: SecondReader
  ) -> Tensor {
    let ys = tape.pointwiseConvs(t[0], weights: [t[1], t[2], t[3]], stride: stride, rectify: rectify)
    let early = reader == .beforeTheNorm ? tape.relu(ys[0]) : nil
    let normalized = (0..<2).map { i in
      tape.batchNorm(
        written ? FusedOpTests.written(tape, ys[i]) : ys[i], weight: t[4], bias: t[5], running: statistics[i],
        training: training)
    }
    let late = reader == .afterIt ? tape.relu(ys[0]) : nil
    let sum = tape.add(tape.add(normalized[0], normalized[1]), tape.relu(ys[2]))
    return (early ?? late).map { tape.add(sum, $0) } ?? sum
  }

  static func statistics(seed: UInt64, channels: Int) -> [RunningStatistics] {
    (0..<2).map { NormalizingSeparableConvTests.statistics(channels: channels, seed: seed + UInt64($0)) }
  }

  @Test(arguments: [
    ([3, 4, 32, 32], 1, true, true, 2, SecondReader.none), ([5, 3, 8, 8], 1, false, true, 2, SecondReader.none),
    ([5, 3, 8, 8], 1, false, false, 1, SecondReader.afterIt), ([6, 3, 4, 4], 1, false, true, 2, SecondReader.none),
    ([4, 3, 9, 7], 2, true, true, 2, SecondReader.beforeTheNorm),
    ([4, 5, 16, 16], 2, true, false, 2, SecondReader.none),
    ([3, 4, 32, 32], 1, false, true, 1, SecondReader.beforeTheNorm),
  ])
  func pointwiseMatchesAWrittenGradient(
    shape: [Int], stride: Int, rectify: Bool, training: Bool, threads: Int, reader: SecondReader
  ) {
    let outputs = shape[1] + 2
    let (fusedStatistics, referenceStatistics) = (
      Self.statistics(seed: 7, channels: outputs), Self.statistics(seed: 7, channels: outputs)
    )
    FusedOpTests.expectSame(
      Self.inputs(shape: shape, outputs: outputs, seed: UInt64(shape.reduce(1, *) + stride)), tolerance: 3e-5,
      threads: threads,
      fused: { tape, t in
        Self.build(
          tape, t, written: false, stride: stride, rectify: rectify, training: training, statistics: fusedStatistics,
          reader: reader)
      },
      reference: { tape, t in
        Self.build(
          tape, t, written: true, stride: stride, rectify: rectify, training: training,
          statistics: referenceStatistics, reader: reader)
      })
    for (a, b) in zip(fusedStatistics, referenceStatistics) {
      #expect(relativeDifference(a.mean, b.mean) <= 1e-6)
      #expect(relativeDifference(a.variance, b.variance) <= 1e-6)
    }
  }

  /// A single 1x1 convolution (`pointwiseConv`) and a separable convolution, each read by a batch norm.
  @Test(arguments: [true, false])
  func singleAndSeparableMatchAWrittenGradient(training: Bool) {
    var g = SplitMix64(seed: training ? 51 : 52)
    let inputs = [
      Check.random([4, 3, 10, 10], &g), Check.random([3, 3, 1, 1], &g), Check.random([3, 1, 3, 3], &g),
      Check.random([3, 3, 1, 1], &g),
    ]
    let (fusedStatistics, referenceStatistics) = (
      Self.statistics(seed: 3, channels: 3), Self.statistics(seed: 3, channels: 3)
    )
    func build(_ tape: Tape, _ t: [Tensor], written: Bool, _ statistics: [RunningStatistics]) -> Tensor {
      let a = tape.pointwiseConv(t[0], weight: t[1], rectify: true)
      let b = tape.separableConv(t[0], depthwise: t[2], pointwise: t[3], padding: 1, rectify: true)
      let na = tape.batchNorm(written ? FusedOpTests.written(tape, a) : a, running: statistics[0], training: training)
      let nb = tape.batchNorm(written ? FusedOpTests.written(tape, b) : b, running: statistics[1], training: training)
      return tape.add(na, nb)
    }
    FusedOpTests.expectSame(
      inputs, tolerance: 3e-5,
      fused: { tape, t in build(tape, t, written: false, fusedStatistics) },
      reference: { tape, t in build(tape, t, written: true, referenceStatistics) })
  }

  @Test(arguments: [(1, true), (2, false)])
  func deferredGradientsMatchFiniteDifferences(stride: Int, rectify: Bool) {
    let inputs = Self.inputs(shape: [3, 2, 7, 9], outputs: 3, seed: UInt64(60 + stride))
    Check.check(inputs, step: 1e-3, samples: 32) { tape, t in
      Self.build(
        tape, t, written: false, stride: stride, rectify: rectify, training: true,
        statistics: [RunningStatistics(channels: 3), RunningStatistics(channels: 3)], reader: .beforeTheNorm)
    }
  }
}
