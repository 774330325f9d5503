import Datasets
import Engine
import Testing

/// Results must not depend on thread timing: for a fixed thread count, two identical runs of a small
/// DARTS-like search (every multi-threaded kernel, architecture weights through a softmax, SGD on the
/// weights and Adam on the alphas) give bitwise-identical parameters.
@Suite struct DeterminismTests {
  /// A few search steps from fixed seeds; returns the final alphas and weights, flattened.
  static func run(threads: Int, steps: Int = 3) -> [Float] {
    var g = SplitMix64(seed: 7)
    func random(_ shape: [Int], scale: Float = 0.5) -> Tensor {
      let t = Tensor(uninitialized: shape, requiresGrad: true)
      for i in 0..<t.count { t[i] = Float.random(in: -scale...scale, using: &g) }
      return t
    }
    let c = 8
    let stem = random([c, 3, 3, 3])
    let dw3 = random([c, 1, 3, 3])
    let dw5 = random([c, 1, 5, 5])
    let pw = random([c, c, 1, 1])
    let reduce = random([c, c, 1, 1])
    let head = random([10, c])
    let bias = random([10])
    let alphas = random([2, 7], scale: 1e-3)
    let weights = [stem, dw3, dw5, pw, reduce, head, bias]
    let sgd = SGD(parameters: weights, learningRate: 0.05, momentum: 0.9, weightDecay: 3e-4)
    let adam = Adam(parameters: [alphas], learningRate: 3e-3, weightDecay: 1e-3)
    let tape = Tape(threads: threads)
    for step in 0..<steps {
      // Even sizes: FactorizedReduce (the stride-2 skip) halves H and W exactly, as DARTS requires.
      let x = Tensor(uninitialized: [6, 3, 18, 22])
      for i in 0..<x.count { x[i] = Float.random(in: -1...1, using: &g) }
      let targets = (0..<6).map { ($0 + step) % 10 }
      for t in weights + [alphas] { t.grad = nil }
      let s = tape.batchNorm(tape.conv2d(x, weight: stem, padding: 1))
      let a = tape.softmax(alphas)
      func edge(_ h: Tensor, row: Int, stride: Int) -> [(Tensor, Int)] {
        let r = tape.relu(h)
        let sep = tape.batchNorm(
          tape.conv2d(tape.conv2d(r, weight: dw3, stride: stride, padding: 1, groups: c), weight: pw))
        let dil = tape.batchNorm(
          tape.conv2d(tape.conv2d(r, weight: dw5, stride: stride, padding: 4, dilation: 2, groups: c), weight: pw))
        let maxp = tape.batchNorm(tape.maxPool(h, stride: stride))
        let avgp = tape.batchNorm(tape.averagePool(h, stride: stride))
        let skip =
          stride == 1
          ? h
          : tape.batchNorm(
            tape.concatChannels([
              tape.conv2d(r, weight: reduce, stride: 2),
              tape.conv2d(tape.sliceSpatial(r, top: 1, left: 1), weight: reduce, stride: 2),
            ]))
        return [(maxp, row * 7 + 1), (avgp, row * 7 + 2), (sep, row * 7 + 4), (dil, row * 7 + 5)]
          + (stride == 1 ? [(skip, row * 7 + 3)] : [])
      }
      let n0 = tape.weightedSum(edge(s, row: 0, stride: 1), weights: a, shape: s.shape)
      let (n, _, h, w) = n0.nchw
      let n1 = tape.weightedSum(edge(n0, row: 1, stride: 2), weights: a, shape: [n, c, (h + 1) / 2, (w + 1) / 2])
      let pooled = tape.globalAveragePool(n1)
      let logits = tape.linear(pooled, weight: head, bias: bias)
      tape.backward(tape.crossEntropy(logits, targets: targets))
      sgd.step()
      adam.step()
    }
    return alphas.scalars + weights.flatMap(\.scalars)
  }

  @Test(arguments: [2, 3])
  func identicalRunsAreBitwiseEqual(threads: Int) {
    let first = Self.run(threads: threads)
    let second = Self.run(threads: threads)
    #expect(first.count == second.count)
    let differing = zip(first, second).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(differing == 0, "\(differing) of \(first.count) values differ between identical runs")
  }

  /// Threads claim their own part first and steal the rest; every part runs exactly once whatever the
  /// timing, and a thread count past the pool's part limit is clamped to it.
  @Test func everyPartRunsOnce() {
    let parallel = Parallel(threads: 4)
    for _ in 0..<200 {
      let hits = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
      hits.initialize(repeating: 0, count: 1000)
      parallel.forEachRange(1000) { _, r in for i in r { hits[i] += 1 } }
      #expect((0..<1000).allSatisfy { hits[$0] == 1 })
      hits.deallocate()
    }
    #expect(Parallel(threads: 100).threads == 32)
  }
}
