import Engine
import Operations
import Testing

/// The checks Operations makes once on its arguments (`require`) stop the process in every build; Operations has
/// no test target of its own and the search builds it. Operations is built with -Ounchecked, which would remove a
/// `precondition`.
@Suite struct RequirementExitTests {
  /// An odd count cannot be split into FactorizedReduce's two halves of C_out/2 channels.
  @Test func factorizedReduceRefusesAnOddOutputChannelCount() async {
    await #expect(processExitsWith: .failure) {
      var initializer = WeightInitializer(seed: 1)
      _ = FactorizedReduce(inputChannels: 4, outputChannels: 5, affine: false, initializer: &initializer)
    }
  }

  @Test func factorizedReduceTakesAnEvenOutputChannelCount() async {
    await #expect(processExitsWith: .success) {
      var initializer = WeightInitializer(seed: 1)
      _ = FactorizedReduce(inputChannels: 4, outputChannels: 6, affine: false, initializer: &initializer)
    }
  }
}
