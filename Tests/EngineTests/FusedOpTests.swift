import Datasets
import Engine
import TestSupport
import Testing

/// The fused ops against the separate ops they replace (values and every gradient, to float rounding), and
/// finite-difference checks of their gradients: shapes that reach the vector blocks and the scalar tails,
/// stride 2 on odd sizes, dilation, an output channel count unlike the input's, small planes whose weight
/// gradient is summed over several images at once, and inputs used twice (accumulating gradients).
@Suite struct FusedOpTests {
  typealias Check = GradientCheckTests

  /// Runs `fused` and `reference` on copies of `inputs` with the same output gradient and expects equal
  /// outputs and input gradients within `tolerance` (relative to each tensor's largest entry).
  static func expectSame(
    _ inputs: [Tensor], tolerance: Float = 2e-5, threads: Int = 2, seed: UInt64 = 3,
    fused: (Tape, [Tensor]) -> Tensor, reference: (Tape, [Tensor]) -> Tensor
  ) {
    func run(_ build: (Tape, [Tensor]) -> Tensor) -> (Tensor, [Tensor]) {
      let copies = inputs.map { x -> Tensor in
        let c = x.copy()
        c.requiresGrad = x.requiresGrad
        return c
      }
      let tape = Tape(threads: threads)
      let y = build(tape, copies)
      var g = SplitMix64(seed: seed)
      let r = Check.random(y.shape, &g)
      y.gradient().assign(r)
      tape.backward()
      return (y.copy(), copies.map { $0.requiresGrad ? $0.gradient().copy() : Tensor(zeros: [1]) })
    }
    let (a, ga) = run(fused)
    let (b, gb) = run(reference)
    #expect(a.shape == b.shape)
    #expect(relativeDifference(a, b) <= tolerance, "output: \(relativeDifference(a, b))")
    for (k, (x, y)) in zip(ga, gb).enumerated() {
      #expect(relativeDifference(x, y) <= tolerance, "gradient of input \(k): \(relativeDifference(x, y))")
    }
  }

  /// pw(dw(relu(x))) by the three separate ops.
  static func separateOps(
    _ tape: Tape, _ t: [Tensor], stride: Int, padding: Int, dilation: Int, rectify: Bool
  ) -> Tensor {
    let c = t[0].shape[1]
    let r = rectify ? tape.relu(t[0]) : t[0]
    let d = tape.conv2d(r, weight: t[1], stride: stride, padding: padding, dilation: dilation, groups: c)
    return tape.conv2d(d, weight: t[2])
  }

  @Test(arguments: [
    ([2, 3, 9, 7], 3, 1, 1, 1, 3, true), ([3, 4, 11, 37], 3, 2, 1, 1, 5, true), ([2, 3, 9, 9], 3, 1, 2, 2, 3, false),
    ([5, 8, 8, 8], 3, 1, 1, 1, 8, true), ([3, 5, 13, 19], 5, 2, 2, 1, 5, true), ([2, 6, 10, 10], 5, 1, 4, 2, 6, true),
    ([4, 16, 16, 16], 3, 1, 1, 1, 16, true), ([2, 4, 12, 33], 5, 1, 2, 1, 7, false),
  ])
  func separableConvMatchesSeparateOps(
    shape: [Int], kernel: Int, stride: Int, padding: Int, dilation: Int, outputs: Int, rectify: Bool
  ) {
    var g = SplitMix64(seed: UInt64(shape.reduce(0, +) * 13 + kernel + stride * 5 + outputs))
    let c = shape[1]
    let inputs = [
      Check.random(shape, &g), Check.random([c, 1, kernel, kernel], &g), Check.random([outputs, c, 1, 1], &g),
    ]
    Self.expectSame(
      inputs,
      fused: { tape, t in
        tape.separableConv(
          t[0], depthwise: t[1], pointwise: t[2], stride: stride, padding: padding, dilation: dilation,
          rectify: rectify)
      },
      reference: { tape, t in
        Self.separateOps(tape, t, stride: stride, padding: padding, dilation: dilation, rectify: rectify)
      })
  }

  /// Backward with frozen 1x1 weights (the architecture step's) or frozen depthwise filters, or both: only the
  /// gradients that are asked for, each against the separate ops.
  @Test(arguments: [(true, false), (false, true), (false, false)])
  func separableConvWithFrozenWeights(pointwiseLearns: Bool, depthwiseLearns: Bool) {
    var g = SplitMix64(seed: 29)
    let inputs = [Check.random([3, 6, 10, 10], &g), Check.random([6, 1, 3, 3], &g), Check.random([5, 6, 1, 1], &g)]
    inputs[1].requiresGrad = depthwiseLearns
    inputs[2].requiresGrad = pointwiseLearns
    Self.expectSame(
      inputs,
      fused: { tape, t in tape.separableConv(t[0], depthwise: t[1], pointwise: t[2], padding: 1, rectify: true) },
      reference: { tape, t in Self.separateOps(tape, t, stride: 1, padding: 1, dilation: 1, rectify: true) })
  }

  @Test(arguments: [1, 3])
  func separableConvOnOneOrThreeThreads(threads: Int) {
    var g = SplitMix64(seed: UInt64(70 + threads))
    let inputs = [Check.random([7, 4, 8, 8], &g), Check.random([4, 1, 3, 3], &g), Check.random([4, 4, 1, 1], &g)]
    Self.expectSame(
      inputs, threads: threads,
      fused: { tape, t in tape.separableConv(t[0], depthwise: t[1], pointwise: t[2], padding: 1, rectify: true) },
      reference: { tape, t in Self.separateOps(tape, t, stride: 1, padding: 1, dilation: 1, rectify: true) })
  }

  @Test(arguments: [(3, 1, 1, 1, true), (3, 2, 1, 1, true), (5, 1, 4, 2, false), (5, 2, 2, 1, true)])
  func separableConvGradients(kernel: Int, stride: Int, padding: Int, dilation: Int, rectify: Bool) {
    var g = SplitMix64(seed: UInt64(kernel * 11 + stride * 3 + dilation))
    let x = Check.random([3, 3, 9, 11], &g)
    let dw = Check.random([3, 1, kernel, kernel], &g)
    let pw = Check.random([4, 3, 1, 1], &g)
    Check.check([x, dw, pw], step: 1e-3, samples: 32) { tape, t in
      tape.separableConv(
        t[0], depthwise: t[1], pointwise: t[2], stride: stride, padding: padding, dilation: dilation, rectify: rectify)
    }
  }

  /// The input read twice: its gradient is added to, not overwritten, by the second op's backward.
  @Test func separableConvGradientAccumulates() {
    var g = SplitMix64(seed: 90)
    let x = Check.random([2, 3, 6, 19], &g)
    let dw = Check.random([3, 1, 3, 3], &g)
    let pw = Check.random([3, 3, 1, 1], &g)
    Check.check([x, dw, pw], step: 1e-3, samples: 32) { tape, t in
      let a = tape.separableConv(t[0], depthwise: t[1], pointwise: t[2], padding: 1, rectify: true)
      let b = tape.separableConv(t[0], depthwise: t[1], pointwise: t[2], padding: 2, dilation: 2, rectify: false)
      return tape.add(a, b)
    }
  }

  /// The input of a 1x1 convolution as the network builds it: plain, a concatenation of two tensors, or
  /// x[:, :, 1:, 1:] of either (FactorizedReduce's second branch).
  static func pointwiseInput(_ tape: Tape, _ t: [Tensor], concatenated: Bool, sliced: Bool) -> Tensor {
    let x = concatenated ? tape.concatChannels([t[0], t[2]]) : t[0]
    return sliced ? tape.sliceSpatial(x, top: 1, left: 1) : x
  }

  @Test(arguments: [
    (1, false, false, true), (2, false, false, true), (1, true, false, true), (2, true, true, true),
    (2, false, true, true), (1, true, false, false), (2, true, true, false), (1, false, true, true),
  ])
  func pointwiseConvReadsViewsInPlace(stride: Int, concatenated: Bool, sliced: Bool, rectify: Bool) {
    var g = SplitMix64(seed: UInt64(stride * 17 + (concatenated ? 5 : 0) + (sliced ? 3 : 0) + (rectify ? 1 : 0)))
    let shape = [5, 3, 8, 13]
    let inputs = [
      Check.random(shape, &g), Check.random([6, concatenated ? 7 : 3, 1, 1], &g), Check.random([5, 4, 8, 13], &g),
    ]
    Self.expectSame(
      inputs,
      fused: { tape, t in
        let x = Self.pointwiseInput(tape, t, concatenated: concatenated, sliced: sliced)
        return tape.pointwiseConv(x, weight: t[1], stride: stride, rectify: rectify)
      },
      reference: { tape, t in
        let x = Self.pointwiseInput(tape, t, concatenated: concatenated, sliced: sliced)
        // relu (or a dense copy of the view), then the plain convolution.
        let r = rectify ? tape.relu(x) : tape.combine([(x, 1)])
        return tape.pointwiseConv(r, weight: t[1], stride: stride)
      })
  }

  @Test(arguments: [(1, false), (2, true), (2, false), (1, true)])
  func rectifiedPointwiseGradients(stride: Int, concatenated: Bool) {
    var g = SplitMix64(seed: UInt64(40 + stride * 3 + (concatenated ? 1 : 0)))
    let x = Check.random([3, 2, 7, 9], &g)
    let other = Check.random([3, 3, 7, 9], &g)
    let w = Check.random([4, concatenated ? 5 : 2, 1, 1], &g)
    Check.check([x, w, other], step: 1e-3, samples: 32) { tape, t in
      let input = concatenated ? tape.concatChannels([t[0], t[2]]) : t[0]
      let a = tape.pointwiseConv(input, weight: t[1], stride: stride, rectify: true)
      // The same input again through its slice: the second gradient is added to the first.
      let b = tape.pointwiseConv(tape.sliceSpatial(input, top: 1, left: 1), weight: t[1], stride: 2, rectify: true)
      return tape.add(tape.globalAveragePool(a), tape.globalAveragePool(b))
    }
  }

  /// FactorizedReduce's two strided 1x1 convolutions (of x and of x[:, :, 1:, 1:]) and their
  /// concatenation, by the separate ops.
  static func factorizedReduceByParts(_ tape: Tape, _ x: Tensor, _ w1: Tensor, _ w2: Tensor, rectify: Bool) -> Tensor {
    let r = rectify ? tape.relu(x) : tape.combine([(x, 1)])
    let a = tape.pointwiseConv(r, weight: w1, stride: 2)
    let b = tape.pointwiseConv(tape.combine([(tape.sliceSpatial(r, top: 1, left: 1), 1)]), weight: w2, stride: 2)
    return tape.combine([(tape.concatChannels([a, b]), 1)])
  }

  @Test(arguments: [
    ([3, 5, 6, 10], false, true), ([2, 4, 32, 32], true, true), ([5, 3, 8, 8], true, false),
    ([2, 6, 4, 34], false, true),
    ([3, 2, 16, 16], true, true),
  ])
  func factorizedReduceMatchesSeparateOps(shape: [Int], concatenated: Bool, rectify: Bool) {
    var g = SplitMix64(seed: UInt64(shape.reduce(1, *) + (concatenated ? 1 : 0)))
    let cin = concatenated ? 2 * shape[1] : shape[1]
    let inputs = [
      Check.random(shape, &g), Check.random([3, cin, 1, 1], &g), Check.random([3, cin, 1, 1], &g),
      Check.random(shape, &g),
    ]
    Self.expectSame(
      inputs,
      fused: { tape, t in
        let x = concatenated ? tape.concatChannels([t[0], t[3]]) : t[0]
        return tape.factorizedReduce(x, t[1], t[2], rectify: rectify)
      },
      reference: { tape, t in
        let x = concatenated ? tape.concatChannels([t[0], t[3]]) : t[0]
        return Self.factorizedReduceByParts(tape, x, t[1], t[2], rectify: rectify)
      })
  }

  @Test(arguments: [true, false])
  func factorizedReduceGradients(rectify: Bool) {
    var g = SplitMix64(seed: rectify ? 51 : 52)
    let x = Check.random([3, 3, 6, 10], &g)
    let w1 = Check.random([2, 3, 1, 1], &g)
    let w2 = Check.random([2, 3, 1, 1], &g)
    Check.check([x, w1, w2], step: 1e-3, samples: 40) { tape, t in
      // The input read twice: the second gradient is added to the first.
      tape.add(
        tape.factorizedReduce(t[0], t[1], t[2], rectify: rectify),
        tape.factorizedReduce(t[0], t[2], t[1], rectify: !rectify))
    }
  }
}
