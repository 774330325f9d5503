import Engine
import Operations
import RunLoop

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
  /// The BN running statistics, put back when a step fails.
  let runningStatistics: [RunningStatistics]
  /// The replicas of a data-parallel run (the architect's).
  public var replicas: Replicas { architect.replicas }

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
    runningStatistics = network.statistics.map(\.statistics)
  }

  /// Runs the architecture step (unless `updateArchitecture` is false) and the weight step, all or nothing:
  /// when the validation loss, the training loss or the weight gradient's norm is not finite, the alphas and
  /// their Adam state are put back as they were, no weight moves, and `failure` says why.
  public func run(
    train: Batch, validation: Batch, mu: Float, classWeights: [Float]?, order: ArchitectureOrder,
    updateArchitecture: Bool = true
  ) -> StepLosses {
    var validationLoss = Float.nan
    let saved = updateArchitecture ? architect.optimizer.savedState() : nil
    let statistics = runningStatistics.map { $0.saved() }
    let emulatedStatistics = replicas.savedEmulatedStatistics()
    func failed(
      _ reason: String, train: Float = .nan, partial: (instance: Float, class: Float)? = nil
    ) -> StepLosses {
      if let saved { architect.optimizer.restore(saved) }
      for (running, saved) in zip(runningStatistics, statistics) { running.restore(saved) }
      replicas.restoreEmulatedStatistics(emulatedStatistics)
      tape.reset()
      return StepLosses(
        train: train, validation: validationLoss, trainInstance: partial?.instance, trainClass: partial?.class,
        trainCorrect: 0, failure: reason)
    }
    let profile = tape.profile
    if updateArchitecture {
      profile?.stage = "architecture step"
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
      guard validationLoss.isFinite else {
        return failed("validation loss is \(StepOutcome.describe(Double(validationLoss)))")
      }
      profile.time("Adam step") { architect.optimizer.step() }
    }
    profile?.stage = "weight step"
    let alphas = architect.optimizer.parameters
    setRequiresGrad(alphas, false)
    defer { setRequiresGrad(alphas, true) }
    // Per slice: the loss, the branch losses and the correct count; a slice whose loss is not finite runs
    // no backward (the step fails on the summed loss, on every rank alike).
    var twoHead = false
    let sums = replicas.reduce(gradientsOf: weightOptimizer.parameters) { rank in
      weightOptimizer.zeroGrad()
      let slice = replicas.slice(train, rank: rank)
      let evaluation = network.evaluateLoss(
        slice, mu: mu, classWeights: classWeights, ForwardContext(tape: tape, training: true))
      let loss = evaluation.loss[0]
      if loss.isFinite { tape.backward(evaluation.loss) } else { tape.reset() }
      twoHead = evaluation.branchLosses != nil
      return [
        loss, evaluation.branchLosses?.instance ?? 0, evaluation.branchLosses?.class ?? 0,
        Float(Classification.trainingCorrect(evaluation.logits, slice, mu: mu)),
      ]
    }
    let ranks = Float(replicas.worldSize)
    let trainLoss = sums[0] / ranks
    let branches = twoHead ? (instance: sums[1] / ranks, class: sums[2] / ranks) : nil
    guard trainLoss.isFinite else {
      return failed(
        "training loss is \(StepOutcome.describe(Double(trainLoss)))", train: trainLoss, partial: branches)
    }
    let norm = profile.time("gradient clipping") {
      clipGradientNorm(weightOptimizer.parameters, maxNorm: gradientClip)
    }
    guard norm.isFinite else {
      return failed(
        "the weight gradient's norm is \(StepOutcome.describe(Double(norm)))", train: trainLoss, partial: branches)
    }
    profile.time("SGD step") { weightOptimizer.step() }
    return StepLosses(
      train: trainLoss, validation: validationLoss, trainInstance: branches?.instance, trainClass: branches?.class,
      trainCorrect: Double(sums[3]))
  }
}
