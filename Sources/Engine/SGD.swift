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
      let (m, lr) = (momentum, learningRate)
      // One loop per case, so that each is a straight line the compiler vectorizes (the same operations
      // per element as the formula above, so the same results).
      switch (first, nesterov) {
      case (true, false):
        for i in 0..<n {
          let g = gp[i] + wd * pp[i]
          bp[i] = g
          pp[i] -= lr * g
        }
      case (true, true):
        for i in 0..<n {
          let g = gp[i] + wd * pp[i]
          bp[i] = g
          pp[i] -= lr * (g + m * g)
        }
      case (false, false):
        for i in 0..<n {
          let b = m * bp[i] + (gp[i] + wd * pp[i])
          bp[i] = b
          pp[i] -= lr * b
        }
      case (false, true):
        for i in 0..<n {
          let g = gp[i] + wd * pp[i]
          let b = m * bp[i] + g
          bp[i] = b
          pp[i] -= lr * (g + m * b)
        }
      }
    }
  }

  /// Zeroes the gradients of every parameter.
  public func zeroGrad() {
    for p in parameters { p.zeroGrad() }
  }
}
