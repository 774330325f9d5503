import Architecture
import Engine
import Operations
import RunEvents

/// Computes architecture gradients and updates the alphas with Adam (Liu et al. 2019, Algorithm 1).
///
/// First order: grad_alpha L_val(w, alpha). Second order:
/// grad_alpha L_val(w', alpha) - xi [grad_alpha L_train(w+, alpha) - grad_alpha L_train(w-, alpha)] / (2 eps),
/// with w' = w - xi (momentum buf + grad_w L_train(w) + wd w), w+- = w +- eps v, v = grad_w' L_val(w', alpha),
/// eps = r / ||v||, xi the current weight learning rate.
public final class Architect {
  public let network: SearchNetwork
  /// Adam over the alphas, one parameter per component in `network.shape.components` order, so each
  /// component can have its own learning rate (HLS).
  public let optimizer: Adam
  /// The replicas of a data-parallel run: each backward runs on this process's slices and the alphas'
  /// gradients are averaged over every rank.
  public var replicas = Replicas()

  public init(
    network: SearchNetwork, learningRate: Float = 3e-4, beta1: Float = 0.5, beta2: Float = 0.999,
    weightDecay: Float = 1e-3
  ) {
    self.network = network
    optimizer = Adam(
      parameters: network.architectureParameters.map(\.tensor), learningRate: learningRate, beta1: beta1, beta2: beta2,
      weightDecay: weightDecay)
  }

  /// Sets the learning rate of each component's alphas.
  public func setLearningRates(_ rates: [ArchitectureComponent: Float]) {
    for (i, component) in network.shape.components.enumerated() {
      if let rate = rates[component] { optimizer.learningRates[i] = rate }
    }
  }

  /// Leaves grad_alpha L_val(w, alpha) in the alphas' gradients and returns the validation loss.
  /// Weight gradients are not computed.
  @discardableResult
  public func firstOrderGradient(validation: Batch, mu: Float, classWeights: [Float]?, tape: Tape) -> Float {
    let weights = network.weights.map(\.tensor)
    setRequiresGrad(weights, false)
    defer { setRequiresGrad(weights, true) }
    let sums = replicas.reduce(gradientsOf: optimizer.parameters) { rank in
      optimizer.zeroGrad()
      let loss = network.loss(
        replicas.slice(validation, rank: rank), mu: mu, classWeights: classWeights,
        ForwardContext(tape: tape, training: true))
      tape.backward(loss)
      return [loss[0]]
    }
    return sums[0] / Float(replicas.worldSize)
  }

  /// Leaves the second-order (unrolled) architecture gradient in the alphas' gradients.
  ///
  /// - Parameters:
  ///   - eta: xi, the current weight learning rate.
  ///   - momentumBuffers: the weight optimizer's momentum buffers (nil entries are zero).
  ///   - r: eps = r / ||v||.
  /// - Returns: the validation loss at the unrolled weights and the first term grad_alpha L_val(w', alpha).
  @discardableResult
  public func secondOrderGradient(
    train: Batch, validation: Batch, mu: Float, classWeights: [Float]?, eta: Float, momentum: Float,
    momentumBuffers: [Tensor?], weightDecay: Float, r: Float = 0.01, tape: Tape
  ) -> UnrolledGradient {
    let context = ForwardContext(tape: tape, training: true)
    let weights = network.weights.map(\.tensor)
    let alphas = optimizer.parameters
    let saved = weights.map { $0.copy() }

    // w' = w - eta (momentum buf + grad_w L_train + wd w)
    setRequiresGrad(alphas, false)
    _ = replicas.reduce(gradientsOf: weights) { rank in
      for w in weights { w.zeroGrad() }
      tape.backward(network.loss(replicas.slice(train, rank: rank), mu: mu, classWeights: classWeights, context))
      return []
    }
    for (i, w) in weights.enumerated() {
      let g = w.gradient().data
      let buf = i < momentumBuffers.count ? momentumBuffers[i]?.data : nil
      for j in 0..<w.count {
        let m = buf.map { momentum * $0[j] } ?? 0
        w.data[j] -= eta * (m + g[j] + weightDecay * w.data[j])
      }
    }
    setRequiresGrad(alphas, true)

    // grad_alpha L_val(w') and v = grad_w' L_val(w')
    let validationSum = replicas.reduce(gradientsOf: alphas + weights) { rank in
      for w in weights { w.zeroGrad() }
      optimizer.zeroGrad()
      let loss = network.loss(replicas.slice(validation, rank: rank), mu: mu, classWeights: classWeights, context)
      tape.backward(loss)
      return [loss[0]]
    }[0]
    let alphaGradients = alphas.map { $0.gradient().copy() }
    let v = weights.map { $0.gradient().copy() }
    let norm = Float(v.reduce(0) { $0 + $1.squaredNorm() }.squareRoot())
    let eps = r / norm

    // grad_alpha L_train(w +- eps v)
    setRequiresGrad(weights, false)
    func trainAlphaGradient(sign: Float) -> [Tensor] {
      for (w, (w0, vi)) in zip(weights, zip(saved, v)) {
        for j in 0..<w.count { w.data[j] = w0.data[j] + sign * eps * vi.data[j] }
      }
      _ = replicas.reduce(gradientsOf: alphas) { rank in
        optimizer.zeroGrad()
        tape.backward(network.loss(replicas.slice(train, rank: rank), mu: mu, classWeights: classWeights, context))
        return []
      }
      return alphas.map { $0.gradient().copy() }
    }
    let plus = trainAlphaGradient(sign: 1)
    let minus = trainAlphaGradient(sign: -1)
    setRequiresGrad(weights, true)
    for (w, w0) in zip(weights, saved) { w.assign(w0) }
    for w in weights { w.zeroGrad() }

    for (k, a) in alphas.enumerated() {
      let g = a.gradient().data
      for j in 0..<a.count {
        g[j] = alphaGradients[k].data[j] - eta * (plus[k].data[j] - minus[k].data[j]) / (2 * eps)
      }
    }
    return UnrolledGradient(validationLoss: validationSum / Float(replicas.worldSize), firstTerm: alphaGradients)
  }
}

/// What the second-order step computed besides the gradient it leaves in the alphas.
public struct UnrolledGradient {
  /// L_val(w', alpha).
  public var validationLoss: Float
  /// grad_alpha L_val(w', alpha), one tensor per component.
  public var firstTerm: [Tensor]
}

func setRequiresGrad(_ tensors: [Tensor], _ value: Bool) {
  for t in tensors { t.requiresGrad = value }
}
