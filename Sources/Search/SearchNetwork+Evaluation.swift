import Architecture
import Datasets
import Engine
import Foundation
import Operations
import RunEvents

/// Loss and top-1 accuracy of a network on a set of images, with per-class and shot-group accuracy.
public struct EvaluationResult: Sendable {
  public var metrics: SplitMetrics
  public var perClassAccuracy: [Double]
  public var correct: [Int]
  public var total: [Int]
}

extension SearchNetwork {
  /// Evaluates on `indices` of `dataset` without gradients, BN in evaluation mode (running statistics),
  /// two-head networks with both heads on the same image and mu = 0.5.
  public func evaluate(
    on dataset: ImageDataset, indices: [Int], classCount: Int, batchSize: Int = 100, tape: Tape
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
        let z = predict(x, mu: 0.5, ForwardContext(tape: tape, training: false))
        let targets = chunk.map { dataset.labels[$0] }
        lossSum += Double(tape.crossEntropy(z, targets: targets)[0]) * Double(chunk.count)
        let k = z.shape[1]
        for (row, target) in targets.enumerated() {
          var best = 0
          for j in 1..<k where z[row * k + j] > z[row * k + best] { best = j }
          total[target] += 1
          if best == target { correct[target] += 1 }
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

  /// The softmaxed alphas of every component as nested arrays.
  public func softmaxedAlphas() -> [ArchitectureComponent: [[Double]]] {
    var result: [ArchitectureComponent: [[Double]]] = [:]
    for (component, a) in alphas {
      let k = a.shape[1]
      result[component] = (0..<a.shape[0]).map { row in
        let values = (0..<k).map { Double(a[row * k + $0]) }
        let m = values.max() ?? 0
        let e = values.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
      }
    }
    return result
  }

  /// The genotype of every searched component.
  public func genotypes() -> [ArchitectureComponent: CellGenotype] {
    softmaxedAlphas().mapValues { GenotypeDerivation.derive(weights: $0, topology: shape.topology) }
  }
}
