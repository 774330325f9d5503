import Datasets
import Engine
import Testing

/// `Tape.dropPathSum` (a cell node: its edges' drop path and their sum in one op) against `add` over
/// `dropPath` outputs, values and every gradient, and finite differences: images shorter and longer than
/// one block, one or two threads, a term without a mask, a term read twice, intermediate terms (whose
/// output gradient is handed over), and a mask that drops images.
@Suite struct DropPathSumTests {
  typealias Check = GradientCheckTests

  static func masks(images: Int, seed: UInt64) -> ([Float], [Float]) {
    var g = SplitMix64(seed: seed)
    let a = Tape.dropPathMask(images: images, keep: 0.7, using: &g)
    var b = Tape.dropPathMask(images: images, keep: 0.7, using: &g)
    b[0] = 0
    return (a, b)
  }

  @Test(arguments: [
    ([3, 2, 5, 7], 2, true), ([4, 3, 40, 40], 2, false), ([5, 2, 3, 3], 1, true), ([2, 4, 33, 35], 3, false),
  ])
  func matchesDropPathThenAdd(shape: [Int], threads: Int, identityTerm: Bool) {
    var g = SplitMix64(seed: UInt64(shape.reduce(1, *) + threads))
    let inputs = [Check.random(shape, &g), Check.random(shape, &g)]
    let (ma, mb) = Self.masks(images: shape[0], seed: UInt64(threads))
    FusedOpTests.expectSame(
      inputs, tolerance: 1e-6, threads: threads,
      fused: { tape, t in tape.dropPathSum([(t[0], identityTerm ? nil : ma), (t[1], mb)], keep: 0.7) },
      reference: { tape, t in
        let a = identityTerm ? t[0] : tape.dropPath(t[0], keep: 0.7, mask: ma)
        return tape.add(a, tape.dropPath(t[1], keep: 0.7, mask: mb))
      })
  }

  /// Intermediate terms, as in a cell (their gradients come from dy, the first one's in place over it).
  @Test(arguments: [true, false])
  func intermediateTermsMatch(identityFirst: Bool) {
    var g = SplitMix64(seed: identityFirst ? 5 : 6)
    let inputs = [Check.random([3, 3, 6, 6], &g), Check.random([3, 3, 6, 6], &g)]
    let (ma, mb) = Self.masks(images: 3, seed: 9)
    FusedOpTests.expectSame(
      inputs, tolerance: 1e-6,
      fused: { tape, t in
        let a = tape.combine([(t[0], 2)])
        let b = tape.relu(t[1])
        return tape.combine([(tape.dropPathSum([(a, identityFirst ? nil : ma), (b, mb)], keep: 0.7), 3)])
      },
      reference: { tape, t in
        let a = tape.combine([(t[0], 2)])
        let b = tape.relu(t[1])
        let da = identityFirst ? a : tape.dropPath(a, keep: 0.7, mask: ma)
        return tape.combine([(tape.add(da, tape.dropPath(b, keep: 0.7, mask: mb)), 3)])
      })
  }

  @Test(arguments: [false, true])
  func gradients(sameTensorTwice: Bool) {
    var g = SplitMix64(seed: sameTensorTwice ? 21 : 22)
    let x = Check.random([4, 2, 5, 3], &g)
    let other = Check.random([4, 2, 5, 3], &g)
    let (ma, mb) = Self.masks(images: 4, seed: 3)
    Check.check([x, other], step: 1e-3, samples: 40) { tape, t in
      let second = sameTensorTwice ? t[0] : tape.combine([(t[1], 1.5)])
      return tape.dropPathSum([(tape.combine([(t[0], 0.5)]), ma), (second, mb), (t[0], nil)], keep: 0.7)
    }
  }

  /// A dropped image of a term adds nothing to the sum and gets no gradient from it.
  @Test func droppedImagesGetNoGradient() {
    let x = Tensor(repeating: 2, shape: [2, 1, 2, 2], requiresGrad: true)
    let tape = Tape(threads: 2)
    let y = tape.dropPathSum([(x, [0, 1])], keep: 0.5)
    #expect(y.scalars == [0, 0, 0, 0, 4, 4, 4, 4])
    tape.seedGradient(y, 1)
    tape.backward()
    #expect(x.gradient().scalars == [0, 0, 0, 0, 2, 2, 2, 2])
  }
}
