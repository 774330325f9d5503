import Engine
import Operations
import Testing

@testable import Training

/// The training networks' argument checks (`require`) stop the process in every build: Training is built with
/// -Ounchecked, which would remove a `precondition` and build a network that reads out of bounds later.
@Suite struct RequirementExitTests {
  /// A 5x5 input gives the auxiliary head's 5x5 pool a stride of 0.
  @Test func theAuxiliaryHeadRefusesAnInputSmallerThan6x6() async {
    await #expect(processExitsWith: .failure) {
      var initializer = WeightInitializer(seed: 1)
      _ = AuxiliaryHead(channels: 4, classes: 3, inputSize: 5, initializer: &initializer)
    }
  }

  /// Without the check the network would be built without the heads its shape promises.
  @Test func theEvaluationNetworkRefusesATwoHeadShapeForAOneHeadGenotype() async {
    await #expect(processExitsWith: .failure) {
      let shape = EvaluationShape(
        channels: 3, classes: 4, layers: 5, inputChannels: 1, imageSize: 16, auxiliary: false, heads: 2)
      _ = EvaluationNetwork(genotype: EvaluationNetworkGradientTests.genotype, shape: shape, seed: 3)
    }
  }

  @Test func aValidNetworkIsBuilt() async {
    await #expect(processExitsWith: .success) {
      let shape = EvaluationShape(
        channels: 3, classes: 4, layers: 5, inputChannels: 1, imageSize: 16, auxiliary: false)
      _ = EvaluationNetwork(genotype: EvaluationNetworkGradientTests.genotype, shape: shape, seed: 3)
    }
  }
}
