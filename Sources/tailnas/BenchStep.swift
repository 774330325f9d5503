import ArgumentParser
import Datasets
import Engine
import Foundation
import Operations
import Search

/// The reference step: DARTS search network C=8, 5 layers, batch 32, 3x32x32, one first-order
/// architecture step (Adam) and one weight step (SGD momentum, clip 5) per step.
struct BenchStep: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "step", abstract: "Time the reference search step.")

  @Option(help: "Initial channels C.") var channels = 8
  @Option(help: "Backbone cells.") var layers = 5
  @Option(help: "Images per batch.") var batch = 32
  @Option(help: "Image height and width.") var size = 32
  @Option(name: .customLong("in-ch"), help: "Input channels.") var inputChannels = 3
  @Option(help: "0 for plain DARTS, 2 for the two BBN heads (two input batches per step).") var heads = 0
  @Option(help: "Timed steps (after 2 warm-up steps).") var steps = 10
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Flag(help: "After the JSON line, print where the timed steps' time goes: by stage, op and thread.")
  var profile = false

  func validate() throws {
    guard [0, 2].contains(heads) else { throw ValidationError("--heads must be 0 or 2, got \(heads)") }
    guard channels > 0, layers >= 3, batch > 0, size >= 8, steps > 0 else {
      throw ValidationError("--channels, --batch and --steps must be positive, --layers at least 3, --size at least 8")
    }
  }

  func run() throws {
    let tape = Tape(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let shape = NetworkShape(
      channels: channels, classes: 10, layers: layers, inputChannels: inputChannels, heads: heads)
    let network = SearchNetwork(shape: shape, seed: 0)
    let step = SearchStep(network: network, architect: Architect(network: network), tape: tape)
    var timing = StepTiming(
      batch: batch, inputChannels: inputChannels, size: size, heads: heads, parallel: tape.parallel)
    try timing.measure(
      steps: steps, tape: tape, weightParameters: network.weights.reduce(0) { $0 + $1.tensor.count }, profile: profile
    ) {
      _ = step.run(
        train: timing.randomBatch(), validation: timing.randomBatch(), mu: 0.5, classWeights: nil, order: .first)
    }
  }
}
