import Engine
import Operations
import TestSupport
import Testing

@testable import Search

/// Whole search networks against PyTorch: logits, loss and the gradient of every weight and alpha.
@Suite struct NetworkFixtureTests {
  static func network(for f: Fixture) throws -> SearchNetwork {
    let shape = NetworkShape(
      channels: f.int("C"), classes: f.int("classes"), layers: f.int("layers"), inputChannels: f.int("in_channels"),
      heads: f.int("heads"), headCells: f.int("head_cells"))
    let net = SearchNetwork(shape: shape, seed: 7)
    let names = Set(net.weights.map(\.name) + net.architectureParameters.map(\.name))
    #expect(
      names == Set(f.parameterNames),
      "parameter names differ: \(names.symmetricDifference(f.parameterNames).sorted().prefix(6))")
    let missing = try net.load { name in f.has("param/" + name) ? try f.tensor("param/" + name) : nil }
    #expect(
      missing.allSatisfy { $0.contains("running_") }, "not loaded: \(missing.filter { !$0.contains("running_") })")
    return net
  }

  static func batch(_ f: Fixture, prefix: String = "") throws -> Batch {
    Batch(
      input: try f.tensor(prefix + "input"), targets: try f.file.integers(prefix + "target"),
      classInput: f.has(prefix + "input_class") ? try f.tensor(prefix + "input_class") : nil,
      classTargets: f.has(prefix + "target_class") ? try f.file.integers(prefix + "target_class") : nil)
  }

  @Test(arguments: ["darts_network", "bbn_network"])
  func networkMatchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let net = try Self.network(for: f)
    let tape = Tape()
    let context = ForwardContext(tape: tape, training: true)
    let mu = Float(f.double("mu", default: 1))
    let batch = try Self.batch(f)
    let loss = net.loss(batch, mu: mu, context)
    #expect(try f.compare(loss, "loss") == nil)
    tape.backward(loss)
    for p in net.weights + net.architectureParameters {
      #expect(try f.compare(p.tensor.gradient(), "grad/param/" + p.name) == nil)
    }
    let logits = tape.withoutGradients {
      net.shape.isTwoHead
        ? tape.combine([
          (net.headLogits(instance: batch.input, classBatch: batch.classInput!, context).0, mu),
          (net.headLogits(instance: batch.input, classBatch: batch.classInput!, context).1, 1 - mu),
        ]) : net.logits(batch.input, context)
    }
    #expect(try f.compare(logits, "logits") == nil)
  }
}
