import Datasets
import Testing

/// The checks Datasets makes once on its arguments (`require`) stop the process in every build: Datasets is built
/// with -Ounchecked, which removes a `precondition`, so an empty pool would go on to draw from nothing. Each exit
/// test has a counterpart with valid arguments that must run to the end, so that a check that always fails is seen.
@Suite struct RequirementExitTests {
  @Test func samplerRefusesAnEmptyPool() async {
    await #expect(processExitsWith: .failure) {
      _ = Sampler(kind: .uniform, indices: [], labels: [0, 1], seed: 1)
    }
  }

  @Test func samplerRefusesALabelOutsideItsClassCount() async {
    await #expect(processExitsWith: .failure) {
      _ = Sampler(kind: .classBalanced, indices: [0, 1], labels: [0, 3], classCount: 2, seed: 1)
    }
  }

  @Test func samplerTakesAPoolWhoseLabelsFitItsClassCount() async {
    await #expect(processExitsWith: .success) {
      var sampler = Sampler(kind: .classBalanced, indices: [0, 1], labels: [0, 1], classCount: 2, seed: 1)
      _ = sampler.nextBatch(size: 4)
    }
  }

  @Test func normalizationRefusesMeanAndStdOfDifferentLengths() async {
    await #expect(processExitsWith: .failure) {
      _ = Normalization(mean: [0.5, 0.5], std: [0.25])
    }
  }

  @Test func normalizationTakesOneMeanAndStdPerChannel() async {
    await #expect(processExitsWith: .success) {
      _ = Normalization(mean: [0.5, 0.5], std: [0.25, 0.25])
    }
  }
}
