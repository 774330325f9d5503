import Architecture
import ArgumentParser
import Datasets
import Engine
import Foundation
import Operations
import Training

/// `tailnas bench train`: the training step of `shared/bench/darts_eval_ref.py`, JSON on stdout. The DARTS
/// evaluation network of the published DARTS_V2 cell (or `--genotype`), C 16, 8 layers, batch 64, 3x32x32,
/// the auxiliary head (weight 0.4), drop path 0.2, SGD (lr 0.025, momentum 0.9, weight decay 3e-4) with the
/// gradient clipped at norm 5: one forward, backward and update per step.
struct BenchTrain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Time the evaluation phase's training step (darts_eval_ref.py).")

  /// DARTS' `genotypes.DARTS_V2` (Liu et al. 2019), the reference's default cell.
  static let dartsV2 =
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), "
    + "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], "
    + "normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), "
    + "('max_pool_3x3', 1), ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], "
    + "reduce_concat=[2, 3, 4, 5])"

  @Option(help: "Initial channels C.") var channels = 16
  @Option(help: "Cells.") var layers = 8
  @Option(help: "Images per batch.") var batch = 64
  @Option(help: "Image height and width.") var size = 32
  @Option(name: .customLong("in-ch"), help: "Input channels.") var inputChannels = 3
  @Option(help: "0 for one classifier, 2 for the two BBN heads (two input batches per step).") var heads = 0
  @Option(help: "The genotype in DARTS' Python form (default: DARTS_V2; the heads reuse its normal cell).")
  var genotype: String?
  @Flag(name: .customLong("no-auxiliary"), help: "Leave out the auxiliary head.") var noAuxiliary = false
  @Option(name: .customLong("drop-path"), help: "Drop-path probability.") var dropPath = 0.2
  @Option(help: "Timed steps (after 2 warm-up steps).") var steps = 5
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Flag(help: "After the JSON line, print where the timed steps' time goes: by stage, op and thread.")
  var profile = false

  func validate() throws {
    guard [0, 2].contains(heads) else { throw ValidationError("--heads must be 0 or 2, got \(heads)") }
    guard channels > 0, layers >= 3, batch > 0, steps > 0 else {
      throw ValidationError("--channels, --batch and --steps must be positive and --layers at least 3")
    }
    guard (0..<1).contains(dropPath) else { throw ValidationError("--drop-path must be in [0, 1), got \(dropPath)") }
  }

  func run() throws {
    var cells = try GenotypeParser.parse(genotype ?? Self.dartsV2, source: "--genotype")
    if heads == 2, !cells.isTwoHead {
      cells.instance = cells.normal
      cells.class = cells.normal
    }
    let shape = EvaluationShape(
      channels: channels, classes: 10, layers: layers, inputChannels: inputChannels, imageSize: size,
      auxiliary: !noAuxiliary, heads: heads)
    if let problem = EvaluationNetwork.problem(genotype: cells, shape: shape) {
      throw ValidationError(problem)
    }
    let network = EvaluationNetwork(genotype: cells, shape: shape, seed: 0)
    let tape = Tape(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let optimizer = SGD(
      parameters: network.weights.map(\.tensor), learningRate: 0.025, momentum: 0.9, weightDecay: 3e-4)
    let drop = DropPath(probability: dropPath, generator: SplitMix64(seed: 2))
    var timing = StepTiming(
      batch: batch, inputChannels: inputChannels, size: size, heads: heads, parallel: tape.parallel)
    try timing.measure(steps: steps, tape: tape, weightParameters: network.parameterCount, profile: profile) {
      tape.profile?.stage = "training step"
      let batch = timing.randomBatch()
      optimizer.zeroGrad()
      let loss = network.loss(
        batch, mu: 0.5, classWeights: nil, auxiliaryWeight: 0.4,
        ForwardContext(tape: tape, training: true, dropPath: drop))
      tape.backward(loss.total)
      _ = tape.profile.time("gradient clipping") { clipGradientNorm(optimizer.parameters, maxNorm: 5) }
      tape.profile.time("SGD step") { optimizer.step() }
    }
  }
}
