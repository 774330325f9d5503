import Datasets
import Engine
import Foundation

/// What the checkpoints of every phase (search, training) hold alike: SGD's momentum buffers under
/// `optimizer.momentum_buffer.<weight name>`, and the metadata entries `format`, `run_id`,
/// `augmentation_rng`, `samplers` (JSON of each sampler's state by role), `config` and `world_size`, merged
/// over the run loop's own entries.
public enum PhaseCheckpoint {
  /// The prefix of a momentum buffer's tensor name.
  static let momentumPrefix = "optimizer.momentum_buffer."

  /// A checkpoint holding `stateDict` under its names and each of `statistics`' batch counters as int64
  /// (`<module>.num_batches_tracked`, as PyTorch stores it).
  public static func file(stateDict: [NamedTensor], statistics: [NamedStatistics]) -> SafeTensors {
    var file = SafeTensors()
    for entry in stateDict { file.set(entry.name, entry.tensor) }
    for entry in statistics {
      file.tensors[entry.counterName] = .int64(shape: [], values: [Int64(entry.statistics.batchesTracked)])
    }
    return file
  }

  /// Adds the momentum buffers of `weights` (none for a weight that has not been stepped yet).
  public static func setMomentum(_ buffers: [Tensor?], of weights: [NamedTensor], in file: inout SafeTensors) {
    for (entry, buffer) in zip(weights, buffers) {
      if let buffer { file.set(momentumPrefix + entry.name, buffer) }
    }
  }

  /// The momentum buffers of `weights` in `file`, nil where it has none.
  public static func momentum(of weights: [NamedTensor], in file: SafeTensors) throws -> [Tensor?] {
    try weights.map { entry in
      let name = momentumPrefix + entry.name
      return file.tensors[name] == nil ? nil : try file.tensor(name)
    }
  }

  /// The metadata of a checkpoint: the shared entries and the phase's `extra` ones over `loopState`.
  public static func metadata<Role: RawRepresentable<String> & Hashable>(
    format: String, runID: String, augmentation: SplitMix64, samplers: [Role: Sampler], configuration: String,
    worldSize: Int, extra: [String: String], loopState: [String: String]
  ) -> [String: String] {
    var states: [String: SamplerState] = [:]
    for (role, sampler) in samplers { states[role.rawValue] = sampler.state }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let samplersJSON = String(decoding: (try? encoder.encode(states)) ?? Data(), as: UTF8.self)
    let shared = [
      "format": format, "run_id": runID, "augmentation_rng": String(augmentation.state), "samplers": samplersJSON,
      "config": configuration, "world_size": String(worldSize),
    ]
    return loopState.merging(shared.merging(extra) { _, phase in phase }) { _, phase in phase }
  }

  /// The checkpoint in `bytes`; a file that is not safetensors is `fail`'s error.
  public static func file(bytes: [UInt8], fail: (String) -> Error) throws -> SafeTensors {
    do {
      return try SafeTensors(bytes: Data(bytes), name: "checkpoint")
    } catch {
      throw fail("\(error)")
    }
  }

  /// Checks `file`'s format and restores the shared state: `augmentation` and each of `samplers`. Errors are
  /// `fail`'s, each saying what is wrong.
  public static func restoreShared<Role: RawRepresentable<String> & Hashable>(
    from file: SafeTensors, format: String, augmentation: inout SplitMix64, samplers: inout [Role: Sampler],
    fail: (String) -> Error
  ) throws {
    let m = file.metadata
    guard m["format"] == format else {
      throw fail("format is '\(m["format"] ?? "missing")', expected \(format)")
    }
    guard let rng = m["augmentation_rng"].flatMap(UInt64.init), let samplersJSON = m["samplers"] else {
      throw fail("metadata is incomplete")
    }
    let states: [String: SamplerState]
    do {
      states = try JSONDecoder().decode([String: SamplerState].self, from: Data(samplersJSON.utf8))
    } catch {
      throw fail("cannot read the sampler state: \(error)")
    }
    for role in samplers.keys {
      guard let state = states[role.rawValue] else { throw fail("no state for sampler \(role.rawValue)") }
      try samplers[role]!.restore(state)
    }
    augmentation.state = rng
  }
}
