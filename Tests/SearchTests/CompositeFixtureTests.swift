import Architecture
import Engine
import Operations
import TestSupport
import Testing

@testable import Search

/// DARTS composite ops and the mixed op, built from engine ops and loaded by their DARTS names.
@Suite struct CompositeFixtureTests {
  static let compositeOps = [
    "sep_conv_3x3_s1", "sep_conv_5x5_s2", "dil_conv_3x3_s1", "dil_conv_5x5_s2", "relu_conv_bn", "factorized_reduce",
  ]

  /// Builds the layer of a composite case with the fixture's shapes.
  static func layer(for f: Fixture, channels: Int) -> (Layer, [NamedTensor]) {
    var initializer = WeightInitializer(seed: 1)
    let stride = f.int("stride", default: 1)
    let layer: Layer
    if let primitive = f.string("op").flatMap(Primitive.init(name:)) {
      layer = primitive.makeLayer(channels: channels, stride: stride, set: .search, initializer: &initializer)!
    } else if f.string("op") == "relu_conv_bn" {
      layer = ReLUConvBN(
        inputChannels: f.int("C_in"), outputChannels: f.int("C_out"), affine: false, initializer: &initializer)
    } else {
      layer = FactorizedReduce(
        inputChannels: f.int("C_in"), outputChannels: f.int("C_out"), affine: false, initializer: &initializer)
    }
    var list: [NamedTensor] = []
    layer.collectParameters(prefix: "", into: &list)
    return (layer, list)
  }

  @Test(arguments: compositeOps)
  func compositeMatchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let x = try f.tensor("x")
    x.requiresGrad = true
    let (layer, params) = Self.layer(for: f, channels: x.shape[1])
    #expect(Set(params.map(\.name)) == Set(f.parameterNames))
    for p in params { p.tensor.assign(try f.tensor("param/" + p.name)) }
    let tape = Tape()
    let y = layer(x, ForwardContext(tape: tape, training: true))
    #expect(try f.compare(y, "y") == nil)
    y.gradient().assign(try f.tensor("grad_out"))
    tape.backward()
    #expect(try f.compare(x.gradient(), "grad/x") == nil)
    for p in params {
      #expect(try f.compare(p.tensor.gradient(), "grad/param/" + p.name) == nil)
    }
  }

  @Test(arguments: ["mixed_op_s1", "mixed_op_s2"])
  func mixedOpMatchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let x = try f.tensor("x")
    x.requiresGrad = true
    let alpha = try f.tensor("alpha")
    alpha.requiresGrad = true
    let stride = f.int("stride", default: 1)
    let op = MixedOp.make(channels: x.shape[1], stride: stride, seed: 3)
    let params = op.namedParameters
    #expect(Set(params.map(\.name)) == Set(f.parameterNames))
    for p in params { p.tensor.assign(try f.tensor("param/" + p.name)) }
    let tape = Tape()
    let weights = tape.softmax(alpha)
    let y = op(x, weights: weights, stride: stride, ForwardContext(tape: tape, training: true))
    #expect(try f.compare(y, "y") == nil)
    y.gradient().assign(try f.tensor("grad_out"))
    tape.backward()
    #expect(try f.compare(x.gradient(), "grad/x") == nil)
    #expect(try f.compare(alpha.gradient(), "grad/alpha") == nil)
    for p in params {
      #expect(try f.compare(p.tensor.gradient(), "grad/param/" + p.name) == nil)
    }
  }
}
