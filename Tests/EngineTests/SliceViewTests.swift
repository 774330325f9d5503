import Datasets
import Engine
import Testing

/// `sliceSpatial` returns a view: the stride-2 1x1 convolution reads it inside its base and writes its
/// gradient into the base's gradient, `seedGradient` seeds the base directly, and every other reader gets
/// dense values and leaves a dense gradient that the slice's backward places. Values are checked against
/// an explicit slice, gradients by finite differences, on odd sizes and with fresh and existing base
/// gradients.
@Suite struct SliceViewTests {
  typealias Check = GradientCheckTests

  /// x[:, :, top:, left:] written out element by element.
  static func expected(_ x: Tensor, top: Int, left: Int) -> [Float] {
    let (n, c, h, w) = x.nchw
    var out: [Float] = []
    for p in 0..<(n * c) {
      for i in top..<h { for j in left..<w { out.append(x[(p * h + i) * w + j]) } }
    }
    return out
  }

  @Test(arguments: [(1, 1), (0, 1), (2, 0)])
  func valuesAndNesting(top: Int, left: Int) {
    var g = SplitMix64(seed: UInt64(400 + top * 3 + left))
    let x = Check.random([2, 3, 7, 6], &g)
    let tape = Tape(threads: 2)
    let y = tape.sliceSpatial(x, top: top, left: left)
    #expect(y.shape == [2, 3, 7 - top, 6 - left])
    #expect(y.scalars == Self.expected(x, top: top, left: left))
    // A slice read by a dense op (filled in parallel), and a slice inside a concatenation.
    #expect(tape.batchNorm(tape.sliceSpatial(x, top: top, left: left)).scalars == tape.batchNorm(y.copy()).scalars)
    let both = tape.concatChannels([y, tape.sliceSpatial(x, top: top, left: left)])
    #expect(both.scalars == ConcatenationViewTests.expected([y, y]))
  }

  /// The stride-2 1x1 convolution reading the slice in its base, on odd and even sizes, against the same
  /// convolution of a dense copy, and its gradients by finite differences.
  @Test(arguments: [[2, 3, 7, 9], [1, 4, 8, 8], [2, 2, 5, 4]])
  func strideTwoPointwiseReadsTheBase(shape: [Int]) {
    var g = SplitMix64(seed: UInt64(410 + shape[2] * 10 + shape[3]))
    let x = Check.random(shape, &g)
    let w = Check.random([5, shape[1], 1, 1], &g)
    let tape = Tape(threads: 2)
    let viaView = tape.conv2d(tape.sliceSpatial(x, top: 1, left: 1), weight: w, stride: 2)
    let dense = Tensor(
      shape: [shape[0], shape[1], shape[2] - 1, shape[3] - 1], values: Self.expected(x, top: 1, left: 1))
    #expect(viaView.scalars == tape.conv2d(dense, weight: w, stride: 2).scalars)
    tape.reset()
    Check.check([x, w], samples: 48) { tape, t in
      tape.conv2d(tape.sliceSpatial(t[0], top: 1, left: 1), weight: t[1], stride: 2)
    }
  }

  /// Other offsets and stride 3 through the same in-base reading.
  @Test(arguments: [(0, 1, 2), (1, 0, 2), (2, 1, 3), (1, 1, 3)])
  func otherOffsetsAndStrides(top: Int, left: Int, stride: Int) {
    var g = SplitMix64(seed: UInt64(440 + top * 7 + left * 3 + stride))
    let x = Check.random([2, 3, 8, 9], &g)
    let w = Check.random([4, 3, 1, 1], &g)
    Check.check([x, w], samples: 48) { tape, t in
      tape.conv2d(tape.sliceSpatial(t[0], top: top, left: left), weight: t[1], stride: stride)
    }
  }

  /// A slice made while not recording carries no gradient into its base, even when a later op that
  /// records (its weight needs a gradient) reads it in place.
  @Test func aSliceMadeWithoutRecordingPassesNoGradient() {
    var g = SplitMix64(seed: 450)
    let x = Check.random([1, 2, 6, 6], &g)
    let w = Check.random([3, 2, 1, 1], &g)
    let tape = Tape(threads: 2)
    let s = tape.withoutGradients { tape.sliceSpatial(x, top: 1, left: 1) }
    let y = tape.conv2d(s, weight: w, stride: 2)
    tape.seedGradient(y, 1)
    tape.backward()
    #expect(x.grad == nil)
    #expect(w.grad != nil)
    tape.seedGradient(s, 1)
    #expect(x.grad == nil)
    #expect(s.grad!.scalars.allSatisfy { $0 == 1 })
  }

  /// ReLU routes a concatenation's gradient into a part that is itself a slice view (dense gradient on
  /// the slice, placed into its base by the slice's backward).
  @Test func concatenationOfSlices() {
    var g = SplitMix64(seed: 460)
    let x = Check.random([2, 2, 6, 7], &g)
    let a = Check.random([2, 3, 5, 6], &g)
    Check.check([x, a], step: 1e-3, samples: 48) { tape, t in
      tape.relu(tape.concatChannels([tape.sliceSpatial(t[0], top: 1, left: 1), t[1]]))
    }
  }

  /// FactorizedReduce's shape (even sizes, so both branches halve alike): the base also feeds a plain stride-2 convolution, so its gradient already
  /// holds a value when the slice's convolution adds to it; a third branch reads the slice densely.
  @Test func routedAndDenseSliceGradientsAddUp() {
    var g = SplitMix64(seed: 420)
    let x = Check.random([2, 3, 8, 6], &g)
    let w1 = Check.random([2, 3, 1, 1], &g)
    let w2 = Check.random([2, 3, 1, 1], &g)
    Check.check([x, w1, w2], samples: 48) { tape, t in
      let r = tape.relu(t[0])
      let a = tape.conv2d(r, weight: t[1], stride: 2)
      let s = tape.sliceSpatial(r, top: 1, left: 1)
      let b = tape.conv2d(s, weight: t[2], stride: 2)
      let c = tape.conv2d(tape.averagePool(s, stride: 2), weight: t[2])
      return tape.concatChannels([a, tape.add(b, c)])
    }
    Check.check([x, w1], samples: 48) { tape, t in
      let s = tape.sliceSpatial(t[0], top: 1, left: 1)
      return tape.add(tape.conv2d(s, weight: t[1], stride: 2), tape.conv2d(s, weight: t[1], stride: 2))
    }
  }

  /// Seeding a slice sets the kept region of a fresh base gradient and zeros its border, or adds to an
  /// existing one.
  @Test func seedingASliceSeedsItsBase() {
    var g = SplitMix64(seed: 430)
    let x = Check.random([2, 2, 4, 5], &g)
    let tape = Tape(threads: 2)
    var y = tape.sliceSpatial(x, top: 1, left: 2)
    tape.seedGradient(y, 3)
    tape.backward()
    #expect(y.grad == nil)
    let mask = Self.expected(Tensor(repeating: 1, shape: x.shape), top: 0, left: 0).indices.map { i -> Float in
      (i % 5 >= 2 && (i / 5) % 4 >= 1) ? 1 : 0
    }
    #expect(x.grad!.scalars == mask.map { 3 * $0 })
    y = tape.sliceSpatial(x, top: 1, left: 2)
    tape.seedGradient(y, 0.5)
    tape.backward()
    #expect(x.grad!.scalars == mask.map { 3.5 * $0 })
  }
}
