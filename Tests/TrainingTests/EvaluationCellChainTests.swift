import Architecture
import Datasets
import Engine
import Operations
import TestSupport
import Testing

@testable import Training

/// The evaluation network's cells run as a chain (`EvaluationCell.chain`, each state's 1x1 preprocessing for
/// the next two cells as one op) against the cells run one by one, each preprocessing its own inputs: the
/// same logits, loss and parameter gradients to float rounding, with fewer ops on the tape.
@Suite struct EvaluationCellChainTests {
  /// The network's logits with the cells one by one (DARTS' `NetworkCIFAR.forward`).
  static func cellByCell(_ net: EvaluationNetwork, _ x: Tensor, _ context: ForwardContext) -> Tensor {
    let tape = context.tape
    var s0 = net.stemNorm(tape.conv2d(x, weight: net.stemWeight, padding: 1), context)
    var s1 = s0
    for cell in net.cells { (s0, s1) = (s1, cell(s0, s1, context)) }
    return net.head(0, (s0, s1), context)
  }

  /// Layer counts and the ReLUConvBNs the chain merges into others' ops: with 5 layers the stem's three
  /// (two merged) and cell 1's two (reduction, then a normal cell); with 7 also cells 0 and 4's outputs'.
  @Test(arguments: [(5, 3), (7, 5)])
  func chainMatchesCellByCell(layers: Int, merged: Int) throws {
    let shape = EvaluationShape(
      channels: 3, classes: 4, layers: layers, inputChannels: 1, imageSize: 16, auxiliary: false, heads: 0)
    let genotype = EvaluationNetworkGradientTests.genotype
    var generator = SplitMix64(seed: 21)
    let x = Tensor(uninitialized: [6, 1, 16, 16])
    x.fillNormal(std: 1, using: &generator)
    let targets = (0..<6).map { $0 % 4 }
    func run(chained: Bool) -> (logits: Tensor, gradients: [Tensor], ops: Int) {
      let net = EvaluationNetwork(genotype: genotype, shape: shape, seed: 3)
      let tape = Tape(threads: 2)
      let context = ForwardContext(tape: tape, training: true)
      let logits = chained ? net.forward(x, context).logits : Self.cellByCell(net, x, context)
      let loss = tape.crossEntropy(logits, targets: targets, classWeights: nil)
      let ops = tape.recordedCount
      tape.backward(loss)
      return (logits.copy(), net.weights.map { $0.tensor.gradient().copy() }, ops)
    }
    let chained = run(chained: true)
    let separate = run(chained: false)
    #expect(relativeDifference(chained.logits, separate.logits) <= 1e-5)
    for (a, b) in zip(chained.gradients, separate.gradients) {
      #expect(relativeDifference(a, b) <= 1e-4)
    }
    // A state read by a reduction cell's FactorizedReduce and another cell's ReLUConvBN is read twice.
    #expect(separate.ops - chained.ops == merged)
  }
}
