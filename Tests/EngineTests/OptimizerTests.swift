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
