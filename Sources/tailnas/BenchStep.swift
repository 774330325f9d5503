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
    var generator = SplitMix64(seed: 1)
    func randomBatch() -> Batch {
      func images() -> Tensor {
        let t = Tensor(uninitialized: [batch, inputChannels, size, size])
        t.fillNormal(std: 1, using: &generator)
        return t
      }
      func labels() -> [Int] { (0..<batch).map { _ in Int.random(in: 0..<10, using: &generator) } }
      return heads == 2
        ? Batch(input: images(), targets: labels(), classInput: images(), classTargets: labels())
        : Batch(input: images(), targets: labels())
    }
    for _ in 0..<2 {
      _ = step.run(train: randomBatch(), validation: randomBatch(), mu: 0.5, classWeights: nil, order: .first)
    }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps {
      _ = step.run(train: randomBatch(), validation: randomBatch(), mu: 0.5, classWeights: nil, order: .first)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let images = steps * batch * (heads == 2 ? 2 : 1)
    let result: [String: Any] = [
      "weight_params": network.weights.reduce(0) { $0 + $1.tensor.count },
      "steps": steps,
      "threads": tape.parallel.threads,
      "sec_per_step": seconds / Double(steps),
      "train_images_per_s": Double(images) / seconds,
      "peak_rss_mb": Double(peakResidentKilobytes()) / 1024,
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }
}
