import Engine
import Operations
import Testing

/// The training accuracy of the two BBN heads counts both samplers' labels, weighted by mu, as BBN does.
@Suite struct TrainingAccuracyTests {
  /// Rows 0 and 1 predict classes 2 and 0.
  static let logits = Tensor(shape: [2, 3], values: [0, 1, 5, 4, 1, 0])

  @Test func oneHeadCountsItsLabels() {
    let batch = Batch(input: Tensor(zeros: [2, 1, 1, 1]), targets: [2, 1])
    #expect(Classification.trainingCorrect(Self.logits, batch, mu: 0.3) == 1)
  }

  @Test(arguments: [(Float(1), 2.0), (0, 0), (0.25, 0.5)])
  func twoHeadsWeighBothLabelsByMu(mu: Float, expected: Double) {
    // Instance labels match both rows, class labels neither.
    let batch = Batch(
      input: Tensor(zeros: [2, 1, 1, 1]), targets: [2, 0], classInput: Tensor(zeros: [2, 1, 1, 1]),
      classTargets: [1, 1])
    #expect(abs(Classification.trainingCorrect(Self.logits, batch, mu: mu) - expected) < 1e-6)
  }
}
