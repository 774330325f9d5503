import Architecture
import Datasets
import Engine
import Foundation
import Operations
import RunEvents

extension SearchNetwork {
  /// Evaluates on `indices` of `dataset` without gradients, BN in evaluation mode (running statistics),
  /// two-head networks with both heads on the same image and mu = 0.5.
  public func evaluate(
    on dataset: ImageDataset, indices: [Int], classCount: Int, batchSize: Int = 100, tape: Tape
  ) -> EvaluationResult {
    Classification.evaluate(
      on: dataset, indices: indices, classCount: classCount, batchSize: batchSize, tape: tape
    ) { x in predict(x, mu: 0.5, ForwardContext(tape: tape, training: false)) }
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
