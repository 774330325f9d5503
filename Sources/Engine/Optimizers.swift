import Foundation

/// Stochastic gradient descent with PyTorch's semantics:
/// g = grad + wd * p; buf = momentum * buf + g (buf = g on the first step); p -= lr * (nesterov ? g + momentum * buf : buf).
public final class SGD: @unchecked Sendable {
  /// The parameters updated by `step()`.
  public let parameters: [Tensor]
  public var learningRate: Float
  public var momentum: Float
  public var weightDecay: Float
  public var nesterov: Bool
  /// Momentum buffers, one per parameter; nil before the first step.
  public var momentumBuffers: [Tensor?]

  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    self.momentumBuffers = Array(repeating: nil, count: parameters.count)
  }

  /// One update from the parameters' current gradients (parameters without a gradient are skipped).
  public func step() {
    for (index, p) in parameters.enumerated() {
      guard let grad = p.grad else { continue }
      let n = p.count
      let pp = p.data
      let gp = grad.data
      let wd = weightDecay
      if momentum == 0 {
        for i in 0..<n { pp[i] -= learningRate * (gp[i] + wd * pp[i]) }
        continue
      }
      let buffer: Tensor
      let first: Bool
      if let b = momentumBuffers[index] {
        buffer = b
        first = false
      } else {
        buffer = Tensor(zeros: p.shape)
        momentumBuffers[index] = buffer
        first = true
      }
      let bp = buffer.data
      for i in 0..<n {
        let g = gp[i] + wd * pp[i]
        bp[i] = first ? g : momentum * bp[i] + g
        let d = nesterov ? g + momentum * bp[i] : bp[i]
        pp[i] -= learningRate * d
      }
    }
  }

  /// Zeroes the gradients of every parameter.
  public func zeroGrad() {
    for p in parameters { p.zeroGrad() }
  }
}

/// Adam with PyTorch's semantics and L2 weight decay (added to the gradient, not decoupled):
/// g = grad + wd p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
public final class Adam: @unchecked Sendable {
  public let parameters: [Tensor]
  /// One learning rate per parameter, so components can follow their own schedules (HLS).
  public var learningRates: [Float]
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float
  public var weightDecay: Float
  /// First and second moment estimates.
  public var firstMoments: [Tensor]
  public var secondMoments: [Tensor]
  /// Steps taken per parameter.
  public var steps: [Int]

  public init(
    parameters: [Tensor], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    weightDecay: Float = 0
  ) {
    self.parameters = parameters
    self.learningRates = Array(repeating: learningRate, count: parameters.count)
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.firstMoments = parameters.map { Tensor(zeros: $0.shape) }
    self.secondMoments = parameters.map { Tensor(zeros: $0.shape) }
    self.steps = Array(repeating: 0, count: parameters.count)
  }

  /// Sets every parameter's learning rate.
  public var learningRate: Float {
    get { learningRates.first ?? 0 }
    set { learningRates = Array(repeating: newValue, count: parameters.count) }
  }

  /// One update of every parameter that has a gradient.
  public func step() {
    for (index, p) in parameters.enumerated() {
      guard let grad = p.grad else { continue }
      steps[index] += 1
      let t = Float(steps[index])
      let c1 = 1 - pow(beta1, t)
      let c2 = 1 - pow(beta2, t)
      let lr = learningRates[index]
      let m = firstMoments[index].data
      let v = secondMoments[index].data
      let pp = p.data
      let gp = grad.data
      for i in 0..<p.count {
        let g = gp[i] + weightDecay * pp[i]
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        let denominator = (v[i] / c2).squareRoot() + epsilon
        pp[i] -= lr * (m[i] / c1) / denominator
      }
    }
  }

  public func zeroGrad() {
    for p in parameters { p.zeroGrad() }
  }
}

/// Global gradient-norm clipping, as `torch.nn.utils.clip_grad_norm_`: when the L2 norm of all
/// gradients exceeds `maxNorm`, every gradient is scaled by maxNorm / (norm + 1e-6). Returns the norm.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  var total = 0.0
  for p in parameters { if let g = p.grad { total += g.squaredNorm() } }
  let norm = Float(total.squareRoot())
  let coefficient = maxNorm / (norm + 1e-6)
  if coefficient < 1 {
    for p in parameters {
      guard let g = p.grad else { continue }
      for i in 0..<g.count { g.data[i] *= coefficient }
    }
  }
  return norm
}
