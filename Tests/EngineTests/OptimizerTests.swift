import Engine
import Testing

/// Optimizer steps against values computed by hand with PyTorch's update rules.
@Suite struct OptimizerTests {
  func parameter(_ value: Float, grad: Float) -> Tensor {
    let p = Tensor(shape: [1], values: [value], requiresGrad: true)
    p.gradient()[0] = grad
    return p
  }

  @Test func sgdWithMomentumAndWeightDecay() {
    let p = parameter(1, grad: 2)
    let sgd = SGD(parameters: [p], learningRate: 0.5, momentum: 0.9, weightDecay: 0.1)
    sgd.step()  // g = 2.1, buf = 2.1, p = 1 - 0.5 * 2.1
    #expect(abs(p[0] - -0.05) < 1e-6)
    sgd.step()  // g = 2 + 0.1 * -0.05 = 1.995, buf = 0.9 * 2.1 + 1.995 = 3.885
    #expect(abs(p[0] - -1.9925) < 1e-5)
  }

  @Test func sgdNesterov() {
    let p = parameter(1, grad: 2)
    let sgd = SGD(parameters: [p], learningRate: 0.5, momentum: 0.9, weightDecay: 0.1, nesterov: true)
    sgd.step()  // d = 2.1 + 0.9 * 2.1 = 3.99
    #expect(abs(p[0] - -0.995) < 1e-6)
    sgd.step()  // g = 2 + 0.1 * -0.995 = 1.9005, buf = 0.9 * 2.1 + 1.9005 = 3.7905, d = g + 0.9 * buf = 5.31195
    #expect(abs(p[0] - -3.650975) < 1e-5)
  }

  /// Tensors longer than a vector (37 elements: whole vectors and a tail), every case of the update, three
  /// steps: bit for bit the formula evaluated element by element.
  @Test(arguments: [(Float(0), false), (0.9, false), (0.9, true)])
  func sgdOnLongTensorsIsTheFormulaPerElement(momentum: Float, nesterov: Bool) {
    let n = 37
    let p = Tensor(shape: [n], values: (0..<n).map { Float($0) * 0.37 - 5 }, requiresGrad: true)
    var expected = p.scalars
    var buffer = [Float](repeating: 0, count: n)
    let sgd = SGD(parameters: [p], learningRate: 0.05, momentum: momentum, weightDecay: 3e-4, nesterov: nesterov)
    for step in 0..<3 {
      let grads = (0..<n).map { Float(($0 * 7 + step * 3) % 11) * 0.21 - 1 }
      for i in 0..<n { p.gradient()[i] = grads[i] }
      sgd.step()
      for i in 0..<n {
        let g = grads[i] + 3e-4 * expected[i]
        if momentum == 0 {
          expected[i] -= 0.05 * g
          continue
        }
        buffer[i] = step == 0 ? g : momentum * buffer[i] + g
        expected[i] -= 0.05 * (nesterov ? g + momentum * buffer[i] : buffer[i])
      }
      #expect(p.scalars == expected, "step \(step)")
    }
  }

  /// The sum of squares in eight lanes equals the plain sum to double rounding, whole vectors and a tail.
  @Test(arguments: [1, 8, 37, 1000])
  func squaredNormOfLongTensors(count: Int) {
    let values = (0..<count).map { Float(($0 * 13) % 17) * 0.3 - 2.1 }
    let t = Tensor(shape: [count], values: values)
    let plain = values.reduce(0.0) { $0 + Double($1) * Double($1) }
    #expect(abs(t.squaredNorm() - plain) <= 1e-12 * plain)
  }

  @Test func sgdWithoutMomentum() {
    let p = parameter(1, grad: 2)
    SGD(parameters: [p], learningRate: 0.1).step()
    #expect(abs(p[0] - 0.8) < 1e-6)
  }

  @Test func adamWithBiasCorrection() {
    let p = parameter(1, grad: 2)
    let adam = Adam(parameters: [p], learningRate: 0.1, beta1: 0.9, beta2: 0.999)
    adam.step()  // m^ = 2, v^ = 4
    #expect(abs(p[0] - 0.9) < 1e-6)
    p.gradient()[0] = 1
    adam.step()  // m^ = 0.28 / 0.19, v^ = 0.004996 / 0.001999
    #expect(abs(p[0] - 0.806782) < 1e-5)
  }

  @Test func adamL2WeightDecayEntersTheGradient() {
    let p = parameter(1, grad: 0)
    let adam = Adam(parameters: [p], learningRate: 0.1, beta1: 0.5, beta2: 0.999, weightDecay: 0.5)
    adam.step()  // g = 0.5: the step is lr * sign
    #expect(abs(p[0] - 0.9) < 1e-6)
    #expect(abs(adam.firstMoments[0][0] - 0.25) < 1e-7)
  }

  @Test func adamPerParameterLearningRates() {
    let a = parameter(1, grad: 1)
    let b = parameter(1, grad: 1)
    let adam = Adam(parameters: [a, b], learningRate: 0.1)
    adam.learningRates[1] = 0
    adam.step()
    #expect(abs(a[0] - 0.9) < 1e-6)
    #expect(b[0] == 1)
  }

  @Test func gradientClipping() {
    let a = parameter(0, grad: 3)
    let b = parameter(0, grad: 4)
    #expect(abs(clipGradientNorm([a, b], maxNorm: 10) - 5) < 1e-6)
    #expect(a.grad![0] == 3)
    #expect(abs(clipGradientNorm([a, b], maxNorm: 1) - 5) < 1e-6)
    #expect(abs(a.grad![0] - 0.6) < 1e-6)
    #expect(abs(b.grad![0] - 0.8) < 1e-6)
  }
}
