import Datasets
import Dispatch
import Engine
import Synchronization
import Testing

/// `concatChannels` returns a view over its parts: ReLU, global average pooling and gradient seeding read
/// the parts and add straight into their gradients; every other reader gets dense values and leaves a
/// dense gradient that the concatenation's backward splits. These tests check values against an explicit
/// NCHW concatenation and gradients by finite differences, on each path and on mixtures of them.
@Suite struct ConcatenationViewTests {
  typealias Check = GradientCheckTests

  /// A random tensor that needs no gradient.
  static func frozen(_ shape: [Int], _ g: inout SplitMix64) -> Tensor {
    let t = Check.random(shape, &g)
    t.requiresGrad = false
    return t
  }

  /// The NCHW concatenation written out element by element.
  static func expected(_ parts: [Tensor]) -> [Float] {
    let (n, _, h, w) = parts[0].nchw
    var out: [Float] = []
    for b in 0..<n {
      for p in parts {
        let c = p.shape[1]
        out += Array(p.scalars[(b * c * h * w)..<((b + 1) * c * h * w)])
      }
    }
    return out
  }

  @Test func denseValuesFollowNCHWOrder() {
    var g = SplitMix64(seed: 300)
    let a = Check.random([3, 2, 4, 5], &g)
    let b = Check.random([3, 1, 4, 5], &g)
    let c = Check.random([3, 3, 4, 5], &g)
    let tape = Tape(threads: 2)
    let y = tape.concatChannels([a, b, c])
    #expect(y.shape == [3, 6, 4, 5])
    #expect(y.scalars == Self.expected([a, b, c]))
    // Read through an op that fills the dense storage in parallel, and through a nested view.
    let nested = tape.concatChannels([tape.concatChannels([a, b]), c])
    #expect(tape.batchNorm(nested).scalars == tape.batchNorm(y).scalars)
    #expect(tape.relu(nested).scalars == Self.expected([a, b, c]).map { max($0, 0) })
  }

  @Test func partReadersMatchDenseReaders() {
    var g = SplitMix64(seed: 301)
    let a = Self.frozen([2, 3, 5, 7], &g)
    let b = Self.frozen([2, 2, 5, 7], &g)
    let tape = Tape(threads: 2)
    let dense = Tensor(shape: [2, 5, 5, 7], values: Self.expected([a, b]))
    #expect(tape.relu(tape.concatChannels([a, b])).scalars == tape.relu(dense).scalars)
    #expect(
      tape.globalAveragePool(tape.concatChannels([a, b])).scalars == tape.globalAveragePool(dense).scalars)
  }

  @Test func reluAndGlobalPoolRouteGradientsIntoParts() {
    var g = SplitMix64(seed: 302)
    let a = Check.random([2, 3, 5, 7], &g)
    let b = Check.random([2, 1, 5, 7], &g)
    let c = Check.random([2, 2, 5, 7], &g)
    Check.check([a, b, c], step: 1e-3, samples: 48) { tape, t in tape.relu(tape.concatChannels(t)) }
    Check.check([a, b, c], samples: 48) { tape, t in tape.globalAveragePool(tape.concatChannels(t)) }
  }

  /// A part that needs no gradient is skipped; a part whose gradient already holds a value (it is used
  /// again later) is added to, not overwritten.
  @Test func routedGradientsSkipAndAccumulate() {
    var g = SplitMix64(seed: 303)
    let a = Check.random([2, 2, 4, 9], &g)
    let frozen = Self.frozen([2, 2, 4, 9], &g)
    let b = Check.random([2, 2, 4, 9], &g)
    Check.check([a, frozen, b], step: 1e-3, samples: 48) { tape, t in
      let routed = tape.relu(tape.concatChannels([t[0], t[1], t[2]]))
      let again = tape.concatChannels([tape.relu(t[0]), t[2], t[0]])
      return tape.add(routed, again)
    }
  }

  /// The same view read by a routing op and by dense ops (batch norm, convolution, add): both kinds of
  /// gradient reach the parts.
  @Test func routedAndDenseGradientsAddUp() {
    var g = SplitMix64(seed: 304)
    let a = Check.random([2, 3, 5, 6], &g)
    let b = Check.random([2, 3, 5, 6], &g)
    let w = Check.random([6, 6, 1, 1], &g)
    Check.check([a, b, w], step: 5e-3, samples: 48) { tape, t in
      let y = tape.concatChannels([t[0], t[1]])
      return tape.add(tape.add(tape.relu(y), tape.batchNorm(y)), tape.conv2d(y, weight: t[2]))
    }
  }

  @Test func repeatedAndNestedParts() {
    var g = SplitMix64(seed: 305)
    let a = Check.random([2, 2, 4, 5], &g)
    let b = Check.random([2, 3, 4, 5], &g)
    Check.check([a], step: 1e-3, samples: 48) { tape, t in tape.relu(tape.concatChannels([t[0], t[0]])) }
    Check.check([a, b], step: 1e-3, samples: 48) { tape, t in
      tape.relu(tape.concatChannels([tape.concatChannels([t[0], t[1]]), t[0]]))
    }
    Check.check([a, b], samples: 48) { tape, t in
      tape.globalAveragePool(tape.concatChannels([t[1], tape.concatChannels([t[0], t[1]])]))
    }
  }

  /// Seeding a view's gradient sets fresh part gradients and adds to ones that exist, as a dense seed
  /// followed by the view's backward would.
  @Test func seedingAViewSeedsItsParts() {
    var g = SplitMix64(seed: 306)
    let a = Check.random([2, 2, 3, 3], &g)
    let frozen = Self.frozen([2, 1, 3, 3], &g)
    let b = Check.random([2, 3, 3, 3], &g)
    let tape = Tape(threads: 2)
    b.gradient().assign(Tensor(repeating: 0.25, shape: b.shape))
    let y = tape.concatChannels([a, frozen, b])
    tape.seedGradient(y, 2)
    tape.backward()
    #expect(y.grad == nil)
    #expect(a.grad!.scalars.allSatisfy { $0 == 2 })
    #expect(b.grad!.scalars.allSatisfy { $0 == 2.25 })
    #expect(frozen.grad == nil)
  }

  /// Seeds add up, on views as on plain tensors: seeding a view twice, or a view and then one of its
  /// parts, adds every seed.
  @Test func seedsAddUp() {
    var g = SplitMix64(seed: 307)
    let a = Check.random([1, 2, 3, 3], &g)
    let b = Check.random([1, 1, 3, 3], &g)
    let tape = Tape(threads: 2)
    let y = tape.concatChannels([a, b])
    tape.seedGradient(y, 1)
    tape.seedGradient(y, 2)
    tape.seedGradient(a, 0.5)
    tape.backward()
    #expect(a.grad!.scalars.allSatisfy { $0 == 3.5 })
    #expect(b.grad!.scalars.allSatisfy { $0 == 3 })
    let plain = Check.random([1, 2, 3, 3], &g)
    tape.seedGradient(plain, 1)
    tape.seedGradient(plain, 2)
    #expect(plain.grad!.scalars.allSatisfy { $0 == 3 })
  }

  /// Threads that read an unfilled view at once all get the one filled storage.
  @Test func concurrentFirstReadsShareOneFill() {
    var g = SplitMix64(seed: 308)
    let a = Self.frozen([4, 3, 8, 8], &g)
    let b = Self.frozen([4, 5, 8, 8], &g)
    let tape = Tape(threads: 2)
    for _ in 0..<20 {
      let y = tape.concatChannels([a, b])
      let addresses = Mutex<Set<Int>>([])
      DispatchQueue.concurrentPerform(iterations: 8) { _ in
        let p = Int(bitPattern: y.data)
        addresses.withLock { _ = $0.insert(p) }
      }
      #expect(addresses.withLock { $0.count } == 1)
      #expect(y.scalars == Self.expected([a, b]))
    }
  }

  @Test func reluKeepsNaN() {
    let tape = Tape(threads: 2)
    let x = Tensor(shape: [1, 1, 1, 11], values: [.nan, -1, 2, .nan, -3, 4, 5, -6, 7, .nan, -.nan])
    let y = tape.relu(x)
    #expect(y.scalars.enumerated().allSatisfy { i, v in x[i].isNaN ? v.isNaN : v == max(x[i], 0) })
    let viaView = tape.relu(tape.concatChannels([x, x.copy()]))
    #expect(viaView.scalars.filter(\.isNaN).count == 8)
  }
}
