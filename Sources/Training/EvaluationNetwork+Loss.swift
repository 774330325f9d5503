import Engine
import Operations

extension EvaluationNetwork {
  /// The training loss of a batch (DARTS `train.py`; BBN for two heads):
  /// plain: CE(z, y) + w CE(aux, y), class-weighted when `classWeights` is given;
  /// two heads: z = mu z_instance(x) + (1 - mu) z_class(x_class),
  /// mu CE(z, y) + (1 - mu) CE(z, y_class) + w [mu CE(aux(x), y) + (1 - mu) CE(aux(x_class), y_class)],
  /// with w the auxiliary weight (0.4 in DARTS) and the auxiliary terms only when the head runs.
  public func loss(
    _ batch: Batch, mu: Float, classWeights: [Float]?, auxiliaryWeight: Float, _ context: ForwardContext
  ) -> TrainingLoss {
    let tape = context.tape
    let classBatch = shape.isTwoHead ? (batch.classInput ?? batch.input) : nil
    let classTargets = batch.classTargets ?? batch.targets
    let output = forward(batch.input, classBatch: classBatch, mu: mu, context)
    func mixed(_ z: Tensor, _ zClass: Tensor?) -> (Tensor, (Float, Float)?) {
      let li = tape.crossEntropy(z, targets: batch.targets, classWeights: classWeights)
      guard shape.isTwoHead else { return (li, nil) }
      let lc = tape.crossEntropy(zClass ?? z, targets: classTargets, classWeights: classWeights)
      return (tape.combine([(li, mu), (lc, 1 - mu)]), (li[0], lc[0]))
    }
    let (main, branches) = mixed(output.logits, nil)
    var total = main
    var auxiliaryValue: Float?
    if let auxiliary = output.auxiliary {
      let (auxiliaryLoss, _) = mixed(auxiliary, output.auxiliaryClass)
      auxiliaryValue = auxiliaryLoss[0]
      total = tape.combine([(main, 1), (auxiliaryLoss, auxiliaryWeight)])
    }
    return TrainingLoss(
      total: total, main: main[0], auxiliary: auxiliaryValue, branches: branches, logits: output.logits)
  }
}

/// The loss of one training batch and its parts.
public struct TrainingLoss {
  /// The loss to back-propagate: main + w auxiliary.
  public var total: Tensor
  /// The classifier's loss.
  public var main: Float
  /// The auxiliary head's (unweighted) loss, when it ran.
  public var auxiliary: Float?
  /// Two heads: CE(z, y_instance) and CE(z, y_class).
  public var branches: (instance: Float, class: Float)?
  /// The logits the main loss was computed from.
  public var logits: Tensor
}
