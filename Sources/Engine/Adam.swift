import Foundation

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

  /// The parameters' values and the optimizer's state, to undo a step.
  public struct SavedState: @unchecked Sendable {
    let values: [Tensor]
    let firstMoments: [Tensor]
    let secondMoments: [Tensor]
    let steps: [Int]
  }

  /// A copy of the parameters and the optimizer state.
  public func savedState() -> SavedState {
    SavedState(
      values: parameters.map { $0.copy() }, firstMoments: firstMoments.map { $0.copy() },
      secondMoments: secondMoments.map { $0.copy() }, steps: steps)
  }

  /// Puts the parameters and the optimizer state back as `state` saved them.
  public func restore(_ state: SavedState) {
    for (p, v) in zip(parameters, state.values) { p.assign(v) }
    for (m, v) in zip(firstMoments, state.firstMoments) { m.assign(v) }
    for (m, v) in zip(secondMoments, state.secondMoments) { m.assign(v) }
    steps = state.steps
  }
}
