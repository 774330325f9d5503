import Engine

/// Losses of one search step.
public struct StepLosses: Sendable, Equatable {
  /// Training loss (weight step) before the update.
  public var train: Float
  /// Validation loss of the architecture step (NaN when no architecture step ran).
  public var validation: Float
  /// Two-head networks: CE(z, y_instance) and CE(z, y_class) of the training loss.
  public var trainInstance: Float?
  public var trainClass: Float?
  /// Training images whose prediction matched the (instance) target.
  public var trainCorrect: Int

  /// Whether both losses are finite; when not, no parameter was updated.
  public var isFinite: Bool { train.isFinite && (!architectureRan || validation.isFinite) }
  /// Whether an architecture step was attempted.
  var architectureRan = true
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
        validationLoss =
          architect.secondOrderGradient(
            train: train, validation: validation, mu: mu, classWeights: classWeights,
            eta: weightOptimizer.learningRate, momentum: weightOptimizer.momentum,
            momentumBuffers: weightOptimizer.momentumBuffers, weightDecay: weightOptimizer.weightDecay, tape: tape
          ).validationLoss
      }
      // A non-finite loss leaves the parameters untouched so the run can be inspected and resumed.
      guard validationLoss.isFinite else {
        var losses = StepLosses(train: .nan, validation: validationLoss, trainCorrect: 0)
        losses.architectureRan = true
        return losses
      }
      architect.optimizer.step()
    }
    let alphas = architect.optimizer.parameters
    setRequiresGrad(alphas, false)
    defer { setRequiresGrad(alphas, true) }
    weightOptimizer.zeroGrad()
    let evaluation = network.evaluateLoss(
      train, mu: mu, classWeights: classWeights, ForwardContext(tape: tape, training: true))
    let trainLoss = evaluation.loss[0]
    var losses = StepLosses(
      train: trainLoss, validation: validationLoss, trainInstance: evaluation.branchLosses?.instance,
      trainClass: evaluation.branchLosses?.class, trainCorrect: Self.correctCount(evaluation.logits, train.targets))
    losses.architectureRan = updateArchitecture
    guard trainLoss.isFinite else {
      tape.reset()
      return losses
    }
    tape.backward(evaluation.loss)
    clipGradientNorm(weightOptimizer.parameters, maxNorm: gradientClip)
    weightOptimizer.step()
    return losses
  }

  /// The number of rows of `logits` whose argmax is the target.
  static func correctCount(_ logits: Tensor, _ targets: [Int]) -> Int {
    let k = logits.shape[1]
    var correct = 0
    for (row, target) in targets.enumerated() {
      var best = 0
      for j in 1..<k where logits[row * k + j] > logits[row * k + best] { best = j }
      if best == target { correct += 1 }
    }
    return correct
  }
}
