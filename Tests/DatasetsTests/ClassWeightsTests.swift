import Datasets
import Testing

@Suite struct ClassWeightsTests {
  @Test func handComputedValues() {
    // beta 0.5, counts [10, 1]: raw 0.5 / (1 - 0.5^10) and 0.5 / 0.5, scaled to sum to 2.
    let small = ClassWeights.effectiveNumber(counts: [10, 1], beta: 0.5)
    #expect(abs(small[0] - 0.667_101) < 1e-5)
    #expect(abs(small[1] - 1.332_899) < 1e-5)
    // The default beta 0.9999 on a two-class 100:1 problem.
    let pair = ClassWeights.effectiveNumber(counts: [5000, 50])
    #expect(abs(pair[0] - 0.025_034_46) < 1e-6)
    #expect(abs(pair[1] - 1.974_965_5) < 1e-5)
  }

  @Test func longTailedCifarWeightsSumToTheClassCount() {
    let counts = LongTail.counts(nMax: 5000, imbalanceRatio: 100, classes: 10)
    let weights = ClassWeights.effectiveNumber(counts: counts)
    #expect(abs(weights.reduce(0, +) - 10) < 1e-4)
    #expect(abs(weights[0] - 0.050_611_36) < 1e-6)
    #expect(abs(weights[9] - 3.992_723_8) < 1e-5)
    #expect(zip(weights, weights.dropFirst()).allSatisfy { $0 < $1 })
  }

  @Test func betaZeroGivesEqualWeightsAndEmptyClassesGetZero() {
    #expect(ClassWeights.effectiveNumber(counts: [7, 3, 1], beta: 0) == [1, 1, 1])
    // 12/11, 0, 21/11.
    let weights = ClassWeights.effectiveNumber(counts: [3, 0, 1], beta: 0.5)
    #expect(abs(weights[0] - 12.0 / 11) < 1e-6 && weights[1] == 0 && abs(weights[2] - 21.0 / 11) < 1e-6)
  }
}
