import Datasets
import Engine
import Foundation
import Testing

/// Central finite differences against the tape's gradients, on random shapes including odd sizes and
/// stride 2 on odd inputs. The loss is sum(y * r) for a fixed random r; sampled coordinates of every input
/// are perturbed by +-h and the slope compared with the analytic gradient.
@Suite struct GradientCheckTests {
  typealias Generator = SplitMix64

  static func random(_ shape: [Int], _ g: inout Generator, scale: Float = 1) -> Tensor {
    let t = Tensor(uninitialized: shape, requiresGrad: true)
    for i in 0..<t.count { t[i] = Float.random(in: -scale...scale, using: &g) }
    return t
  }

  /// Checks d sum(build(inputs) * r) / d inputs at `samples` coordinates per input.
  static func check(
    _ inputs: [Tensor], step h: Float = 1e-2, tolerance: Float = 2e-2, samples: Int = 24, seed: UInt64 = 1,
    _ build: (Tape, [Tensor]) -> Tensor
  ) {
    var g = Generator(seed: seed)
    let tape = Tape(threads: 2)
    for x in inputs { x.grad = nil }
    let y = build(tape, inputs)
    let r = random(y.shape, &g)
    y.gradient().assign(r)
    tape.backward()
    func loss() -> Double {
      tape.withoutGradients {
        let out = build(tape, inputs)
        var s = 0.0
        for i in 0..<out.count { s += Double(out[i]) * Double(r[i]) }
        return s
      }
    }
    for (k, x) in inputs.enumerated() where x.requiresGrad {
      let analytic = x.gradient()
      let picks =
        x.count <= samples ? Array(0..<x.count) : (0..<samples).map { _ in Int.random(in: 0..<x.count, using: &g) }
      for i in picks {
        let saved = x[i]
        x[i] = saved + h
        let up = loss()
        x[i] = saved - h
        let down = loss()
        x[i] = saved
        let numeric = Float((up - down) / Double(2 * h))
        let a = analytic[i]
        let ok = abs(numeric - a) <= tolerance * max(1, abs(numeric), abs(a))
        #expect(ok, "input \(k) element \(i): analytic \(a) vs numeric \(numeric)")
      }
    }
  }

  @Test(arguments: [(1, 0, 1), (2, 0, 1), (1, 0, 2)])
  func pointwiseConvolution(stride: Int, padding: Int, seed: Int) {
    var g = Generator(seed: UInt64(seed))
    let x = Self.random([2, 3, 7, 5], &g)
    let w = Self.random([4, 3, 1, 1], &g)
    Self.check([x, w]) { tape, t in tape.conv2d(t[0], weight: t[1], stride: stride, padding: padding) }
  }

  @Test(arguments: [
    (3, 1, 1, 1), (3, 2, 1, 1), (3, 1, 2, 2), (3, 2, 2, 2), (5, 1, 1, 2), (5, 2, 1, 2), (5, 1, 2, 4), (5, 2, 2, 4),
  ])
  func depthwiseConvolution(kernel: Int, stride: Int, dilation: Int, padding: Int) {
    var g = Generator(seed: UInt64(kernel * 31 + stride * 7 + dilation))
    let x = Self.random([2, 3, 9, 7], &g)
    let w = Self.random([3, 1, kernel, kernel], &g)
    Self.check([x, w]) { tape, t in
      tape.conv2d(t[0], weight: t[1], stride: stride, padding: padding, dilation: dilation, groups: 3)
    }
  }

  @Test(arguments: [1, 2])
  func denseConvolution(stride: Int) {
    var g = Generator(seed: UInt64(40 + stride))
    let x = Self.random([2, 3, 7, 9], &g)
    let w = Self.random([5, 3, 3, 3], &g)
    Self.check([x, w]) { tape, t in tape.conv2d(t[0], weight: t[1], stride: stride, padding: 1) }
  }

  @Test func batchNormWithAffine() {
    var g = Generator(seed: 5)
    let x = Self.random([3, 4, 5, 3], &g)
    let gamma = Self.random([4], &g)
    let beta = Self.random([4], &g)
    Self.check([x, gamma, beta], step: 5e-3) { tape, t in tape.batchNorm(t[0], weight: t[1], bias: t[2]) }
  }

  @Test func batchNormEvaluationMode() {
    var g = Generator(seed: 6)
    let x = Self.random([2, 3, 4, 5], &g)
    let stats = RunningStatistics(channels: 3)
    for c in 0..<3 {
      stats.mean[c] = Float(c) * 0.1
      stats.variance[c] = 1 + Float(c)
    }
    Self.check([x]) { tape, t in tape.batchNorm(t[0], running: stats, training: false) }
  }

  @Test func relu() {
    var g = Generator(seed: 7)
    let x = Self.random([2, 3, 5, 5], &g)
    Self.check([x], step: 1e-3) { tape, t in tape.relu(t[0]) }
  }

  @Test(arguments: [1, 2])
  func pools(stride: Int) {
    var g = Generator(seed: UInt64(8 + stride))
    let x = Self.random([2, 2, 7, 9], &g)
    Self.check([x], step: 1e-3) { tape, t in tape.maxPool(t[0], stride: stride) }
    Self.check([x]) { tape, t in tape.averagePool(t[0], stride: stride) }
  }

  @Test func structuralOps() {
    var g = Generator(seed: 11)
    let a = Self.random([2, 3, 5, 5], &g)
    let b = Self.random([2, 2, 5, 5], &g)
    let c = Self.random([2, 3, 5, 5], &g)
    let s = Self.random([4], &g)
    Self.check([a, b]) { tape, t in tape.concatChannels([t[0], t[1]]) }
    Self.check([a]) { tape, t in tape.sliceSpatial(t[0], top: 1, left: 1) }
    Self.check([a]) { tape, t in tape.globalAveragePool(t[0]) }
    Self.check([a, c]) { tape, t in tape.combine([(t[0], 0.3), (t[1], -1.5)]) }
    Self.check([a, c]) { tape, t in tape.add(t[0], t[1]) }
    Self.check([a, s]) { tape, t in tape.scale(t[0], by: t[1], at: 2) }
    Self.check([a, c, s]) { tape, t in
      tape.weightedSum([(t[0], 1), (t[1], 3), (t[0], 0)], weights: t[2], shape: [2, 3, 5, 5])
    }
  }

  @Test func classifierOps() {
    var g = Generator(seed: 12)
    let x = Self.random([5, 7], &g)
    let w = Self.random([4, 7], &g)
    let bias = Self.random([4], &g)
    Self.check([x, w, bias]) { tape, t in tape.linear(t[0], weight: t[1], bias: t[2]) }
    Self.check([x]) { tape, t in tape.softmax(t[0]) }
    let targets = [0, 3, 6, 2, 3]
    Self.check([x]) { tape, t in tape.crossEntropy(t[0], targets: targets) }
    let weights: [Float] = [0.5, 1, 2, 0.1, 3, 1, 0.7]
    Self.check([x]) { tape, t in tape.crossEntropy(t[0], targets: targets, classWeights: weights) }
  }
}
