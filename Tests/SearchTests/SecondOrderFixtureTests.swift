import Engine
import TestSupport
import Testing

@testable import Search

/// The unrolled (second-order) architecture gradient against PyTorch DARTS's `_backward_step_unrolled`.
@Suite struct SecondOrderFixtureTests {
  @Test(arguments: ["darts_network_second_order", "bbn_network_second_order"])
  func secondOrderMatchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let net = try NetworkFixtureTests.network(for: f)
    let architect = Architect(network: net)
    let tape = Tape()
    let mu = Float(f.double("mu", default: 1))
    let train = try NetworkFixtureTests.batch(f)
    let validation = try NetworkFixtureTests.batch(f, prefix: "val_")
    let eta = Float(f.double("eta"))
    let wd = Float(f.double("weight_decay"))

    let result = architect.secondOrderGradient(
      train: train, validation: validation, mu: mu, classWeights: nil, eta: eta, momentum: 0.9, momentumBuffers: [],
      weightDecay: wd, r: Float(f.double("r")), tape: tape)
    for (a, g) in zip(net.architectureParameters, result.firstTerm) {
      #expect(try f.compare(g, "grad_first_order_at_unrolled/" + a.name) == nil)
    }
    for a in net.architectureParameters {
      let expected = try f.tensor("grad_unrolled/" + a.name)
      #expect(mismatchRelativeToMax(a.tensor.gradient(), expected, relative: 1e-2) == nil, "\(a.name)")
    }
  }
}
