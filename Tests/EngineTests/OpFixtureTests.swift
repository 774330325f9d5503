import Engine
import TestSupport
import Testing

/// Engine primitives against the PyTorch fixtures: output and every gradient of sum(y * grad_out).
@Suite struct OpFixtureTests {
  static let primitiveOps: Set<String> = [
    "conv2d", "batch_norm", "relu", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "linear",
  ]

  static var cases: [String] {
    ((try? Fixture.names(kind: "op")) ?? []).filter { name in
      (try? Fixture(name)).map { primitiveOps.contains($0.string("op") ?? "") } ?? false
    }
  }

  @Test func fixturesArePresent() throws {
    #expect(Self.cases.count >= 20, "expected the engine op fixtures in \(Fixture.directory.path)")
  }

  @Test(arguments: cases)
  func matchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let tape = Tape()
    let x = try f.tensor("x")
    x.requiresGrad = true
    var params: [String: Tensor] = [:]
    for p in f.parameterNames {
      let t = try f.tensor("param/" + p)
      t.requiresGrad = true
      params[p] = t
    }
    let y: Tensor
    switch f.string("op") {
    case "conv2d":
      y = tape.conv2d(
        x, weight: params["weight"]!, stride: f.int("stride", default: 1), padding: f.int("padding"),
        dilation: f.int("dilation", default: 1), groups: f.int("groups", default: 1))
    case "batch_norm":
      y = tape.batchNorm(
        x, weight: params["weight"], bias: params["bias"], training: true, eps: Float(f.double("eps", default: 1e-5)))
    case "relu":
      y = tape.relu(x)
    case "max_pool2d":
      y = tape.maxPool(x, kernel: f.int("kernel"), stride: f.int("stride"), padding: f.int("padding"))
    case "avg_pool2d":
      y = tape.averagePool(x, kernel: f.int("kernel"), stride: f.int("stride"), padding: f.int("padding"))
    case "adaptive_avg_pool2d":
      y = tape.globalAveragePool(x)
    case "linear":
      y = tape.linear(x, weight: params["weight"]!, bias: params["bias"])
    default:
      Issue.record("unknown op \(f.string("op") ?? "nil")")
      return
    }
    #expect(try f.compare(y, "y") == nil)
    y.gradient().assign(try f.tensor("grad_out"))
    tape.backward()
    #expect(try f.compare(x.gradient(), "grad/x") == nil)
    for (p, t) in params {
      #expect(try f.compare(t.gradient(), "grad/param/" + p) == nil)
    }
  }

  @Test(arguments: (try? Fixture.names(kind: "loss")) ?? [])
  func lossMatchesPyTorch(_ name: String) throws {
    let f = try Fixture(name)
    let tape = Tape()
    let logits = try f.tensor("logits")
    logits.requiresGrad = true
    let targets = try f.file.integers("target")
    let weights = f.has("class_weight") ? try f.tensor("class_weight").scalars : nil
    let loss = tape.crossEntropy(logits, targets: targets, classWeights: weights)
    #expect(try f.compare(loss, "loss") == nil)
    tape.backward(loss)
    #expect(try f.compare(logits.gradient(), "grad/logits") == nil)
  }
}
