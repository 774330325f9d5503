import Datasets
import Engine
import Foundation
import Operations

/// What `bench step` and `bench train` share: seeded random batches, the timing of a step after two
/// warm-up steps, and the JSON line they print (the figures `../shared/bench`'s PyTorch scripts print).
struct StepTiming {
  let batch: Int
  let inputChannels: Int
  let size: Int
  let heads: Int
  /// The threads that fill the batches (the step's own).
  let parallel: Parallel
  var generator = SplitMix64(seed: 1)

  init(batch: Int, inputChannels: Int, size: Int, heads: Int, parallel: Parallel) {
    self.batch = batch
    self.inputChannels = inputChannels
    self.size = size
    self.heads = heads
    self.parallel = parallel
  }

  /// A batch of standard normal images with uniform labels over 10 classes (both branches with two heads),
  /// made inside the timed step as PyTorch's scripts make theirs with `torch.randn`, over the step's threads.
  mutating func randomBatch() -> Batch {
    func images() -> Tensor {
      let t = Tensor(uninitialized: [batch, inputChannels, size, size])
      t.fillNormal(std: 1, seed: generator.next(), parallel: parallel)
      return t
    }
    func labels() -> [Int] { (0..<batch).map { _ in Int.random(in: 0..<10, using: &generator) } }
    return heads == 2
      ? Batch(input: images(), targets: labels(), classInput: images(), classTargets: labels())
      : Batch(input: images(), targets: labels())
  }

  /// Runs `step` twice untimed, then `steps` times, and prints the JSON line of the timed steps; with
  /// `profile`, the timed steps run with a `StepProfile` on `tape` and its report follows the line.
  func measure(
    steps: Int, tape: Tape, weightParameters: Int, profile: Bool = false, _ step: () -> Void
  ) throws {
    let threads = tape.parallel.threads
    for _ in 0..<2 { step() }
    if profile {
      tape.profile = StepProfile()
      StepProfile.startThreadMeasurement()
    }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<steps { step() }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let images = steps * batch * (heads == 2 ? 2 : 1)
    // The pool's counters cover the timed steps and nothing after them.
    let threadUse = tape.profile == nil ? nil : StepProfile.stopThreadMeasurement()
    let result: [String: Any] = [
      "weight_params": weightParameters,
      "steps": steps,
      "threads": threads,
      "sec_per_step": seconds / Double(steps),
      "train_images_per_s": Double(images) / seconds,
      "peak_rss_mb": Double(peakResidentKilobytes()) / 1024,
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
    if let stepProfile = tape.profile, let threadUse {
      tape.profile = nil
      let report = ProfileReport(
        profile: stepProfile, threads: threadUse, steps: steps, threadCount: threads, wallSeconds: seconds,
        images: images)
      print(report.text())
    }
  }
}
