import Engine

/// Losses of one search step.
public struct StepLosses: Sendable, Equatable, Codable {
  /// Training loss (weight step) before the update.
  public var train: Float
  /// Validation loss of the architecture step.
  public var validation: Float
}

/// One DARTS search step: an architecture step on a validation batch, then a weight step on a training
/// batch (SGD with momentum and weight decay, gradient-norm clipping), as `train_search.py`.
public final class SearchStep {
  public let network: SearchNetwork
  public let architect: Architect
  /// SGD over the weights.
  public let weightOptimizer: SGD
  /// Global gradient-norm bound for the weight step.
  public var gradientClip: Float
  public let tape: Tape

  public init(
    network: SearchNetwork, architect: Architect, weightLearningRate: Float = 0.025, momentum: Float = 0.9,
    weightDecay: Float = 3e-4, gradientClip: Float = 5, tape: Tape
  ) {
    self.network = network
    self.architect = architect
    weightOptimizer = SGD(
      parameters: network.weights.map(\.tensor), learningRate: weightLearningRate, momentum: momentum,
      weightDecay: weightDecay)
    self.gradientClip = gradientClip
    self.tape = tape
  }

  /// Runs the architecture step (unless `updateArchitecture` is false) and the weight step.
  public func run(
    train: SearchBatch, validation: SearchBatch, mu: Float, classWeights: [Float]?, order: ArchitectureOrder,
    updateArchitecture: Bool = true
  ) -> StepLosses {
    var validationLoss = Float.nan
    if updateArchitecture {
      switch order {
      case .first:
        validationLoss = architect.firstOrderGradient(
          validation: validation, mu: mu, classWeights: classWeights, tape: tape)
      case .second:
        validationLoss = architect.secondOrderGradient(
          train: train, validation: validation, mu: mu, classWeights: classWeights,
          eta: weightOptimizer.learningRate, momentum: weightOptimizer.momentum,
          momentumBuffers: weightOptimizer.momentumBuffers, weightDecay: weightOptimizer.weightDecay, tape: tape)
      }
      architect.optimizer.step()
    }
    let alphas = architect.optimizer.parameters
    setRequiresGrad(alphas, false)
    defer { setRequiresGrad(alphas, true) }
    weightOptimizer.zeroGrad()
    let loss = network.loss(train, mu: mu, classWeights: classWeights, ForwardContext(tape: tape, training: true))
    let trainLoss = loss[0]
    tape.backward(loss)
    clipGradientNorm(weightOptimizer.parameters, maxNorm: gradientClip)
    weightOptimizer.step()
    return StepLosses(train: trainLoss, validation: validationLoss)
  }
}
