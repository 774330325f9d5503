import Datasets
import Engine
import RunEvents

/// Loss and top-1 accuracy of a network on a set of images, with per-class and shot-group accuracy.
public struct EvaluationResult: Sendable {
  public var metrics: SplitMetrics
  public var perClassAccuracy: [Double]
  public var correct: [Int]
  public var total: [Int]
}

/// Top-1 classification: the argmax of logits, counting correct predictions, and the evaluation of a
/// network over a set of images.
public enum Classification {
  /// The number of rows of `logits` [n, k] whose argmax (the first on a tie) is the target.
  public static func correctCount(_ logits: Tensor, _ targets: [Int]) -> Int {
    let k = logits.shape[1]
    var correct = 0
    for (row, target) in targets.enumerated() where argmax(logits, row: row, classes: k) == target { correct += 1 }
    return correct
  }

  /// The training accuracy's count for `batch`: the rows whose argmax is the target; with the two BBN heads,
  /// whose mixed logits z = mu z_instance + (1 - mu) z_class face both samplers' labels,
  /// mu * correct(z, y_instance) + (1 - mu) * correct(z, y_class), as BBN's own training accuracy (its
  /// combiner's `l * acc(output, label_a) + (1 - l) * acc(output, label_b)`). Counting against the instance
  /// labels alone would fall to chance as mu goes to 0, where z follows the class branch's image.
  public static func trainingCorrect(_ logits: Tensor, _ batch: Batch, mu: Float) -> Double {
    let instance = Double(correctCount(logits, batch.targets))
    guard let classTargets = batch.classTargets else { return instance }
    let m = Double(mu)
    return m * instance + (1 - m) * Double(correctCount(logits, classTargets))
  }

  /// The column of the largest logit in `row`, the first on a tie.
  public static func argmax(_ logits: Tensor, row: Int, classes k: Int) -> Int {
    var best = 0
    for j in 1..<k where logits[row * k + j] > logits[row * k + best] { best = j }
    return best
  }

  /// Evaluates `logits` (the network in evaluation mode, without gradients) on `indices` of `dataset` in
  /// batches: mean cross-entropy, top-1 accuracy, and correct and total counts per class.
  public static func evaluate(
    on dataset: ImageDataset, indices: [Int], classCount: Int, batchSize: Int = 100, tape: Tape,
    logits: (Tensor) -> Tensor
  ) -> EvaluationResult {
    var correct = [Int](repeating: 0, count: classCount)
    var total = [Int](repeating: 0, count: classCount)
    var lossSum = 0.0
    tape.withoutGradients {
      var start = 0
      while start < indices.count {
        let chunk = Array(indices[start..<min(start + batchSize, indices.count)])
        let x = Tensor(uninitialized: [chunk.count, dataset.channels, dataset.height, dataset.width])
        dataset.fillBatch(indices: chunk, into: x.data)
        let z = logits(x)
        let targets = chunk.map { dataset.labels[$0] }
        lossSum += Double(tape.crossEntropy(z, targets: targets)[0]) * Double(chunk.count)
        let k = z.shape[1]
        for (row, target) in targets.enumerated() {
          total[target] += 1
          if argmax(z, row: row, classes: k) == target { correct[target] += 1 }
        }
        start += batchSize
      }
    }
    let n = max(total.reduce(0, +), 1)
    let accuracy = Double(correct.reduce(0, +)) / Double(n)
    let perClass = zip(correct, total).map { $1 > 0 ? Double($0) / Double($1) : 0 }
    return EvaluationResult(
      metrics: SplitMetrics(loss: lossSum / Double(n), accuracy: accuracy), perClassAccuracy: perClass,
      correct: correct, total: total)
  }
}
