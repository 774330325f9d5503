import Engine
import Operations

extension SearchNetwork {
  /// The training loss on a batch.
  ///
  /// Plain: CE(z, y) (class-weighted when `classWeights` is given). Two-head (BBN):
  /// z = mu z_instance + (1 - mu) z_class, loss = mu CE(z, y_instance) + (1 - mu) CE(z, y_class).
  public func loss(_ batch: Batch, mu: Float, classWeights: [Float]? = nil, _ context: ForwardContext) -> Tensor {
    evaluateLoss(batch, mu: mu, classWeights: classWeights, context).loss
  }

  /// The loss with the logits it was computed from and, for two heads, its two cross-entropy terms
  /// (CE(z, y_instance), CE(z, y_class)).
  public func evaluateLoss(_ batch: Batch, mu: Float, classWeights: [Float]? = nil, _ context: ForwardContext)
    -> LossEvaluation
  {
    let tape = context.tape
    if shape.isTwoHead {
      let classInput = batch.classInput ?? batch.input
      let classTargets = batch.classTargets ?? batch.targets
      let (zi, zc) = headLogits(instance: batch.input, classBatch: classInput, context)
      let z = tape.combine([(zi, mu), (zc, 1 - mu)])
      let li = tape.crossEntropy(z, targets: batch.targets, classWeights: classWeights)
      let lc = tape.crossEntropy(z, targets: classTargets, classWeights: classWeights)
      return LossEvaluation(loss: tape.combine([(li, mu), (lc, 1 - mu)]), logits: z, branchLosses: (li[0], lc[0]))
    }
    let z = logits(batch.input, context)
    return LossEvaluation(
      loss: tape.crossEntropy(z, targets: batch.targets, classWeights: classWeights), logits: z, branchLosses: nil)
  }

  /// Evaluation logits: plain logits, or for two heads mu z_instance + (1 - mu) z_class with both heads on
  /// the same images (mu = 0.5 at test time).
  public func predict(_ x: Tensor, mu: Float = 0.5, _ context: ForwardContext) -> Tensor {
    if shape.isTwoHead {
      let (zi, zc) = headLogits(instance: x, classBatch: x, context)
      return context.tape.combine([(zi, mu), (zc, 1 - mu)])
    }
    return logits(x, context)
  }

  /// Copies every tensor of the state dict whose name `lookup` resolves; returns the names it did not.
  @discardableResult
  public func load(_ lookup: (String) throws -> Tensor?) throws -> [String] {
    try NetworkNames.load(stateDict, from: lookup) { SearchError.shapeMismatch(name: $0, expected: $1, found: $2) }
  }
}
