import Datasets
import Engine
import Testing

/// `Tape.pointwiseConvs` (several 1x1 convolutions of one input as one op) against one `pointwiseConv` per
/// weight, values and every gradient, and a finite-difference check of its gradients: plain, concatenated
/// and sliced inputs, stride 1 and 2, with and without the ReLU, the read-in-place path, an output whose
/// gradient never arrives, and an input whose gradient another op has already begun.
@Suite struct StackedPointwiseTests {
  typealias Check = GradientCheckTests

  /// The stacked outputs, or each weight's own op, as one dense tensor (their channels concatenated), with
  /// `unused` weights' outputs left out of it. With `extra`, two more readers of x (plain 1x1 convolutions by
  /// the first weight) join it, one recorded before the convolutions and one after: x's gradient is begun
  /// by the later one before theirs arrives, and the earlier one adds to it after.
  static func build(
    _ tape: Tape, _ t: [Tensor], stacked: Bool, stride: Int, concatenated: Bool, sliced: Bool, rectify: Bool,
    unused: Int?, extra: Bool
  ) -> Tensor {
    let x = FusedOpTests.pointwiseInput(tape, [t[0], t[1], t[2]], concatenated: concatenated, sliced: sliced)
    let weights = Array(t[3...])
    let before = extra ? tape.pointwiseConv(x, weight: weights[0], stride: stride) : nil
    let ys =
      stacked
      ? tape.pointwiseConvs(x, weights: weights, stride: stride, rectify: rectify)
      : weights.map { tape.pointwiseConv(x, weight: $0, stride: stride, rectify: rectify) }
    let after = extra ? tape.pointwiseConv(x, weight: weights[0], stride: stride) : nil
    let kept = ys.indices.filter { $0 != unused }.map { ys[$0] } + [before, after].compactMap { $0 }
    return tape.combine([(tape.concatChannels(kept), 1)])
  }

  @Test(
    arguments: [
      (1, false, false, true, nil, false), (2, false, false, true, nil, false), (1, true, false, true, nil, true),
      (2, true, true, true, 1, false), (1, false, false, false, nil, false), (1, false, false, false, 0, true),
      (2, false, true, false, nil, true), (1, true, true, true, 2, false),
    ] as [(Int, Bool, Bool, Bool, Int?, Bool)])
  func stackedMatchesSeparate(
    stride: Int, concatenated: Bool, sliced: Bool, rectify: Bool, unused: Int?, extra: Bool
  ) {
    var g = SplitMix64(seed: UInt64(stride * 31 + (concatenated ? 7 : 0) + (sliced ? 3 : 0) + (rectify ? 1 : 0)))
    let cin = concatenated ? 7 : 3
    let inputs = [
      Check.random([5, 3, 8, 13], &g), Check.random([1], &g), Check.random([5, 4, 8, 13], &g),
      Check.random([6, cin, 1, 1], &g), Check.random([2, cin, 1, 1], &g), Check.random([9, cin, 1, 1], &g),
    ]
    inputs[1].requiresGrad = false
    FusedOpTests.expectSame(
      inputs,
      fused: { tape, t in
        Self.build(
          tape, t, stacked: true, stride: stride, concatenated: concatenated, sliced: sliced, rectify: rectify,
          unused: unused, extra: extra)
      },
      reference: { tape, t in
        Self.build(
          tape, t, stacked: false, stride: stride, concatenated: concatenated, sliced: sliced, rectify: rectify,
          unused: unused, extra: extra)
      })
  }

  @Test(arguments: [(1, true), (2, false)])
  func stackedGradients(stride: Int, concatenated: Bool) {
    var g = SplitMix64(seed: UInt64(70 + stride * 3 + (concatenated ? 1 : 0)))
    let cin = concatenated ? 5 : 2
    let inputs = [
      Check.random([3, 2, 7, 9], &g), Check.random([1], &g), Check.random([3, 3, 7, 9], &g),
      Check.random([4, cin, 1, 1], &g), Check.random([3, cin, 1, 1], &g),
    ]
    inputs[1].requiresGrad = false
    Check.check(inputs, step: 1e-3, samples: 32) { tape, t in
      Self.build(
        tape, t, stacked: true, stride: stride, concatenated: concatenated, sliced: false, rectify: true,
        unused: nil, extra: true)
    }
  }

  @Test func stackedRecordsOneOp() {
    var g = SplitMix64(seed: 12)
    let x = Check.random([2, 3, 6, 6], &g)
    let weights = [Check.random([4, 3, 1, 1], &g), Check.random([5, 3, 1, 1], &g)]
    let tape = Tape(threads: 2)
    let ys = tape.pointwiseConvs(x, weights: weights, rectify: true)
    #expect(ys.map(\.shape) == [[2, 4, 6, 6], [2, 5, 6, 6]])
    #expect(tape.recordedCount == 1)
  }
}
