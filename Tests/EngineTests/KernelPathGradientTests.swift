import Datasets
import Engine
import Testing

/// Finite-difference checks of the vector kernel paths: widths that hit the 32-, 16- and 8-column blocks
/// and the scalar tail, stride 2 on odd sizes, dilation 2, and gradients that accumulate (an input used
/// twice) as well as fresh ones.
@Suite struct KernelPathGradientTests {
  typealias Check = GradientCheckTests

  @Test(arguments: [(3, 1, 1, 1), (5, 1, 2, 1), (3, 1, 2, 2), (5, 2, 2, 1), (3, 2, 1, 1), (5, 2, 4, 2)])
  func wideDepthwise(kernel: Int, stride: Int, padding: Int, dilation: Int) {
    var g = SplitMix64(seed: UInt64(100 + kernel * 7 + stride * 3 + dilation))
    let x = Check.random([1, 2, 5, 61], &g)
    let w = Check.random([2, 1, kernel, kernel], &g)
    Check.check([x, w], samples: 32) { tape, t in
      tape.conv2d(t[0], weight: t[1], stride: stride, padding: padding, dilation: dilation, groups: 2)
    }
  }

  /// Planes narrower than two wide vectors through the general rows loop (dilation 2, stride 2, 7 x 7): 21
  /// columns are a 16-lane vector (AVX-512), an 8-lane one or none, and scalars; 9 output rows are two
  /// blocks of four rows and one row alone.
  @Test(arguments: [(5, 1, 4, 2), (5, 2, 4, 2), (5, 2, 2, 1), (3, 1, 2, 2), (7, 1, 3, 1)])
  func narrowDepthwise(kernel: Int, stride: Int, padding: Int, dilation: Int) {
    var g = SplitMix64(seed: UInt64(140 + kernel * 7 + stride * 3 + dilation))
    let x = Check.random([1, 2, 9 * stride, 21 * stride], &g)
    let w = Check.random([2, 1, kernel, kernel], &g)
    Check.check([x, w], samples: 48) { tape, t in
      tape.conv2d(t[0], weight: t[1], stride: stride, padding: padding, dilation: dilation, groups: 2)
    }
  }

  /// An input read by two depthwise convolutions, so the second input gradient adds to the first: 3 x 3
  /// on 19 columns, and 5 x 5 on 37 columns and 7 rows (the two-row kernel's wide and 8-lane vectors, its
  /// scalar columns and an odd last row).
  @Test(arguments: [(3, [2, 3, 6, 19]), (5, [2, 3, 7, 37])])
  func depthwiseGradientAccumulates(kernel: Int, shape: [Int]) {
    var g = SplitMix64(seed: UInt64(115 + kernel))
    let x = Check.random(shape, &g)
    let w = Check.random([3, 1, kernel, kernel], &g)
    let half = kernel / 2
    Check.check([x, w], samples: 48) { tape, t in
      let a = tape.conv2d(t[0], weight: t[1], padding: half, groups: 3)
      let b = tape.conv2d(t[0], weight: t[1], padding: 2 * half, dilation: 2, groups: 3)
      return tape.concatChannels([a, b])
    }
  }

  @Test(arguments: [1, 2])
  func widePools(stride: Int) {
    var g = SplitMix64(seed: UInt64(130 + stride))
    let x = Check.random([1, 2, 5, 45], &g)
    Check.check([x], step: 1e-3, samples: 32) { tape, t in tape.maxPool(t[0], stride: stride) }
    Check.check([x], samples: 32) { tape, t in tape.averagePool(t[0], stride: stride) }
    Check.check([x], step: 1e-3, samples: 32) { tape, t in
      tape.add(tape.maxPool(t[0], stride: stride), tape.averagePool(t[0], stride: stride))
    }
  }

  @Test(arguments: [(1, 5), (2, 6), (1, 9)])
  func pointwiseOddChannels(stride: Int, outputs: Int) {
    var g = SplitMix64(seed: UInt64(140 + stride + outputs))
    let x = Check.random([2, 7, 5, 13], &g)
    let w = Check.random([outputs, 7, 1, 1], &g)
    Check.check([x, w], samples: 32) { tape, t in
      tape.add(tape.conv2d(t[0], weight: t[1], stride: stride), tape.conv2d(t[0], weight: t[1], stride: stride))
    }
  }

  /// The 1x1 weight gradient summed over several images per thread (five images on two threads), with
  /// a plane size that leaves a scalar tail and an odd input channel count, at stride 1 and 2.
  @Test(arguments: [(1, 7), (2, 6), (1, 16)])
  func pointwiseWeightGradientAcrossImages(stride: Int, inputs: Int) {
    var g = SplitMix64(seed: UInt64(145 + stride * 31 + inputs))
    let x = Check.random([5, inputs, 3, 7], &g)
    let w = Check.random([5, inputs, 1, 1], &g)
    Check.check([x, w], samples: 48) { tape, t in tape.conv2d(t[0], weight: t[1], stride: stride) }
  }

  /// The 1x1 weight gradient on planes of a whole number of vectors (4 x 8): the register blocks of four
  /// output channels by four (16-lane vectors) or three input channels (8-lane vectors), with input
  /// channel counts that leave after those blocks no 4 x 2 block, one or two (with 8 lanes: 9; 5; 7, 10
  /// and 16), or none, one and a single column (with 16 lanes: 16; 10; 5 and 9; 7 both), and six output
  /// channels (two rows left over).
  @Test(arguments: [5, 7, 9, 10, 16])
  func pointwiseWeightGradientOnVectorPlanes(inputs: Int) {
    var g = SplitMix64(seed: UInt64(180 + inputs))
    let x = Check.random([3, inputs, 4, 8], &g)
    let w = Check.random([6, inputs, 1, 1], &g)
    Check.check([x, w], samples: 96) { tape, t in tape.conv2d(t[0], weight: t[1]) }
  }

  /// 1x1 convolutions on planes narrower than a vector (the auxiliary head's 2x2, a 1x3 plane): the
  /// products take the transposed paths, forward against a plain triple loop and gradients against
  /// finite differences, over several images on two threads.
  @Test(arguments: [([5, 20, 2, 2], 9), ([3, 17, 1, 3], 33), ([4, 32, 2, 2], 40)])
  func pointwiseOnNarrowPlanes(shape: [Int], outputs: Int) {
    var g = SplitMix64(seed: UInt64(148 + shape[1] + outputs))
    let x = Check.random(shape, &g)
    let w = Check.random([outputs, shape[1], 1, 1], &g)
    let (n, cin, hw) = (shape[0], shape[1], shape[2] * shape[3])
    let y = Tape(threads: 2).conv2d(x, weight: w)
    var largest: Float = 0
    for b in 0..<n {
      for o in 0..<outputs {
        for s in 0..<hw {
          var expected: Float = 0
          for i in 0..<cin { expected += w[o * cin + i] * x[(b * cin + i) * hw + s] }
          largest = max(largest, abs(y[(b * outputs + o) * hw + s] - expected))
        }
      }
    }
    #expect(largest < 1e-4)
    Check.check([x, w], samples: 48) { tape, t in tape.conv2d(t[0], weight: t[1]) }
  }

  /// Stride-2 ops on rows wide enough for the vector paths of the strided gather, scatter and
  /// zero-upsampling (19 output columns: two vectors of eight and three single values), rectified and
  /// not, on a plain input and on a slice that starts one column in (FactorizedReduce's second half).
  /// Inputs within 0.05 of the ReLU's kink are moved off it, so the finite differences do not straddle it.
  @Test(arguments: [true, false])
  func strideTwoOnWideRows(rectify: Bool) {
    var g = SplitMix64(seed: rectify ? 171 : 172)
    let x = Check.random([2, 3, 5, 38], &g)
    for i in 0..<x.count where abs(x[i]) < 0.05 { x[i] = x[i] < 0 ? -0.1 : 0.1 }
    let w = Check.random([4, 3, 1, 1], &g)
    let w2 = Check.random([4, 3, 1, 1], &g)
    let dw = Check.random([3, 1, 3, 3], &g)
    let pw = Check.random([3, 3, 1, 1], &g)
    Check.check([x, w], samples: 48) { tape, t in tape.pointwiseConv(t[0], weight: t[1], stride: 2, rectify: rectify) }
    Check.check([x, w], samples: 48) { tape, t in
      tape.pointwiseConv(tape.sliceSpatial(t[0], top: 1, left: 1), weight: t[1], stride: 2, rectify: rectify)
    }
    // FactorizedReduce takes even sizes only (its two halves would differ in size otherwise).
    let even = Check.random([2, 3, 6, 38], &g)
    for i in 0..<even.count where abs(even[i]) < 0.05 { even[i] = even[i] < 0 ? -0.1 : 0.1 }
    Check.check([even, w, w2], samples: 48) { tape, t in tape.factorizedReduce(t[0], t[1], t[2], rectify: rectify) }
    Check.check([x, dw, pw], samples: 48) { tape, t in
      tape.separableConv(t[0], depthwise: t[1], pointwise: t[2], stride: 2, padding: 1, rectify: rectify)
    }
    Check.check([x, dw], samples: 48) { tape, t in tape.conv2d(t[0], weight: t[1], stride: 2, padding: 1, groups: 3) }
  }

  @Test func batchNormAndReLUOnWidePlanes() {
    var g = SplitMix64(seed: 150)
    let x = Check.random([2, 3, 3, 29], &g)
    Check.check([x], step: 5e-3, samples: 32) { tape, t in tape.batchNorm(tape.relu(t[0])) }
    Check.check([x], step: 1e-3, samples: 32) { tape, t in tape.add(tape.relu(t[0]), tape.relu(t[0])) }
  }

  /// Slice and global average pooling into a fresh gradient (border zeros written by the kernel) and into
  /// one that already holds a value (the same input used twice).
  @Test func sliceAndGlobalPoolGradients() {
    var g = SplitMix64(seed: 160)
    let x = Check.random([2, 3, 6, 21], &g)
    Check.check([x], samples: 48) { tape, t in tape.sliceSpatial(t[0], top: 1, left: 1) }
    Check.check([x], samples: 48) { tape, t in tape.globalAveragePool(t[0]) }
    Check.check([x], samples: 48) { tape, t in
      tape.concatChannels([tape.sliceSpatial(t[0], top: 1, left: 1), tape.sliceSpatial(t[0], top: 1, left: 1)])
    }
    Check.check([x], samples: 48) { tape, t in
      tape.add(tape.globalAveragePool(t[0]), tape.globalAveragePool(t[0]))
    }
  }

  /// The direct 3x3 kernels: six-channel and three-channel register blocks with partial channel blocks,
  /// partial column blocks, the three-channel block's two rows on an odd height, the partial last vector
  /// of the filter gradient, and an input gradient that accumulates (the input used twice).
  @Test(arguments: [([2, 3, 5, 37], 7), ([2, 5, 4, 13], 2), ([1, 1, 6, 28], 24), ([1, 4, 7, 9], 3)])
  func directConvolution(input: [Int], outputs: Int) {
    var g = SplitMix64(seed: UInt64(170 + outputs))
    let x = Check.random(input, &g)
    let w = Check.random([outputs, input[1], 3, 3], &g)
    Check.check([x, w], samples: 48) { tape, t in tape.conv2d(t[0], weight: t[1], padding: 1) }
    Check.check([x, w], samples: 32) { tape, t in
      tape.add(tape.conv2d(t[0], weight: t[1], padding: 1), tape.conv2d(t[0], weight: t[1], padding: 1))
    }
  }

  /// The one-pass batch statistics stay accurate when the mean dwarfs the spread (x = 1000 + noise: an
  /// unshifted float sum of squares would lose the variance entirely; float inputs and the subtraction
  /// x - mean already cost a few 1e-3 of the spread, hence the bound), and
  /// split over threads they match a double-precision two-pass reference.
  @Test func batchNormStatisticsOfLargeOffsetInput() {
    var g = SplitMix64(seed: 180)
    let x = Check.random([6, 3, 5, 7], &g)
    for i in 0..<x.count { x[i] = 1000 + 0.01 * x[i] }
    let y = Tape(threads: 3).batchNorm(x)
    let (n, c, h, w) = x.nchw
    for ch in 0..<c {
      var values: [Double] = []
      for b in 0..<n { for i in 0..<(h * w) { values.append(Double(x[(b * c + ch) * h * w + i])) } }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
      for b in 0..<n {
        for i in 0..<(h * w) {
          let index = (b * c + ch) * h * w + i
          let expected = (Double(x[index]) - mean) / (variance + 1e-5).squareRoot()
          #expect(abs(Double(y[index]) - expected) < 2e-2, "channel \(ch) element \(index)")
        }
      }
    }
  }
}
