import Architecture
import Datasets
import Engine
import Operations
import Testing

@testable import Training

/// Finite-difference checks of the evaluation network's gradient, plain and with two heads, with drop path on
/// (the same masks for every evaluation) and the auxiliary head, for each parameter's entry with the largest
/// gradient: the last cell, the heads, the auxiliary head and the classifiers, whose inputs pass through
/// drop path, the node sums and the concatenations of every cell before them. Earlier parameters are left to
/// the PyTorch fixtures (`EvaluationNetworkFixtureTests`): through several batch norms of a small batch the
/// loss is so curved at steps float32 can resolve that central differences at h = 1e-3 miss by 20% even in
/// float64 PyTorch (h = 1e-5 agrees there). The check uses Richardson extrapolation of central differences at
/// h and h/2, (4 D(h/2) - D(h)) / 3, which cancels the h^2 term. The reduction cell pools c_{k-2} on two
/// edges, which share one pooled tensor (`EvaluationCell`), so the last cell's preprocessing gets the sum
/// of both edges' gradients through it.
@Suite struct EvaluationNetworkGradientTests {
  static let genotype = Genotype(
    normal: CellGenotype(
      edges: [
        GenotypeEdge(op: .sep_conv_3x3, input: 0), GenotypeEdge(op: .skip_connect, input: 1),
        GenotypeEdge(op: .dil_conv_3x3, input: 2), GenotypeEdge(op: .avg_pool_3x3, input: 0),
      ], concat: [2, 3]),
    reduce: CellGenotype(
      edges: [
        GenotypeEdge(op: .max_pool_3x3, input: 0), GenotypeEdge(op: .skip_connect, input: 1),
        GenotypeEdge(op: .sep_conv_5x5, input: 2), GenotypeEdge(op: .max_pool_3x3, input: 0),
      ], concat: [2, 3]))

  @Test(arguments: [0, 2])
  func gradientsMatchFiniteDifferences(heads: Int) throws {
    let shape = EvaluationShape(
      channels: 2, classes: 3, layers: 3, inputChannels: 1, imageSize: 24, auxiliary: true, heads: heads)
    var g = Self.genotype
    if heads == 2 {
      g.instance = g.normal
      g.class = g.normal
    }
    #expect(EvaluationNetwork.problem(genotype: g, shape: shape) == nil)
    let net = EvaluationNetwork(genotype: g, shape: shape, seed: 5)
    var generator = SplitMix64(seed: 9)
    func images() -> Tensor {
      let t = Tensor(uninitialized: [8, 1, 24, 24])
      t.fillNormal(std: 1, using: &generator)
      return t
    }
    let batch = Batch(
      input: images(), targets: (0..<8).map { $0 % 3 }, classInput: heads == 2 ? images() : nil,
      classTargets: heads == 2 ? (0..<8).map { ($0 * 7) % 3 } : nil)
    let tape = Tape(threads: 2)
    let dropPath = DropPath(probability: 0.3, generator: SplitMix64(seed: 4))
    let maskState = dropPath.generator.state
    func loss(recording: Bool) -> Tensor {
      dropPath.generator.state = maskState
      let context = ForwardContext(tape: tape, training: true, dropPath: dropPath)
      let run = { net.loss(batch, mu: 0.7, classWeights: nil, auxiliaryWeight: 0.4, context).total }
      return recording ? run() : tape.withoutGradients(run)
    }
    let statistics = net.statistics.map(\.statistics)
    let saved = statistics.map { $0.saved() }
    tape.backward(loss(recording: true))
    let checked = net.weights.filter { p in
      ["cells.2.", "head_", "auxiliary_head.", "classifier"].contains { p.name.hasPrefix($0) }
    }
    #expect(checked.count >= 20)
    for p in checked {
      let gradient = p.tensor.gradient()
      let index = (0..<p.tensor.count).max { abs(gradient[$0]) < abs(gradient[$1]) }!
      let value = p.tensor[index]
      func central(_ h: Float) -> Double {
        p.tensor[index] = value + h
        for (s, v) in zip(statistics, saved) { s.restore(v) }
        let up = Double(loss(recording: false)[0])
        p.tensor[index] = value - h
        for (s, v) in zip(statistics, saved) { s.restore(v) }
        let down = Double(loss(recording: false)[0])
        p.tensor[index] = value
        return (up - down) / Double(2 * h)
      }
      let h: Float = 4e-3
      let numeric = (4 * central(h / 2) - central(h)) / 3
      let analytic = Double(gradient[index])
      #expect(
        abs(numeric - analytic) <= 3e-2 * abs(analytic) + 2e-3,
        "\(p.name)[\(index)]: tape \(analytic), finite differences \(numeric)")
    }
  }
}
