import Datasets
import Engine
import Foundation
import Operations

/// The checkpoint format written by `TrainingPhase.checkpoint(loopState:)`.
public let trainingCheckpointFormat = "tailnas-training-checkpoint-1"

extension TrainingPhase {
  /// Everything needed to continue the run exactly, as a safetensors file: the state_dict under NetworkCIFAR's
  /// names (weights, running statistics, num_batches_tracked as int64), SGD's momentum buffers, the sampler
  /// and generator states, the configuration, and the loop's entries.
  public func checkpoint(loopState: [String: String]) throws -> [UInt8] {
    [UInt8](checkpointFile(loopState: loopState).serialized())
  }

  /// The checkpoint as a safetensors value.
  public func checkpointFile(loopState: [String: String]) -> SafeTensors {
    var file = SafeTensors()
    for entry in network.stateDict { file.set(entry.name, entry.tensor) }
    for entry in network.statistics {
      file.tensors[entry.counterName] = .int64(shape: [], values: [Int64(entry.statistics.batchesTracked)])
    }
    for (entry, buffer) in zip(network.weights, optimizer.momentumBuffers) {
      if let buffer { file.set("optimizer.momentum_buffer." + entry.name, buffer) }
    }
    var samplerStates: [String: SamplerState] = [:]
    for (role, sampler) in samplers { samplerStates[role.rawValue] = sampler.state }
    file.metadata = loopState.merging(
      [
        "format": trainingCheckpointFormat,
        "run_id": runID,
        "augmentation_rng": String(augmentationGenerator.state),
        "drop_path_rng": String(dropPath.generator.state),
        "samplers": Self.json(samplerStates),
        "config": configuration.tomlText(),
        "world_size": String(replicas.worldSize),
      ], uniquingKeysWith: { _, phase in phase })
    return file
  }

  public func restore(from bytes: [UInt8]) throws -> [String: String] {
    let file: SafeTensors
    do {
      file = try SafeTensors(bytes: Data(bytes), name: "checkpoint")
    } catch {
      throw TrainingError.invalidCheckpoint("\(error)")
    }
    return try restore(from: file)
  }

  /// Restores a checkpoint file; returns its metadata, which holds the loop's entries.
  @discardableResult
  public func restore(from file: SafeTensors) throws -> [String: String] {
    func fail(_ message: String) -> TrainingError { .invalidCheckpoint(message) }
    let m = file.metadata
    guard m["format"] == trainingCheckpointFormat else {
      throw fail("format is '\(m["format"] ?? "missing")', expected \(trainingCheckpointFormat)")
    }
    guard let rng = m["augmentation_rng"].flatMap(UInt64.init), let dropRNG = m["drop_path_rng"].flatMap(UInt64.init),
      let samplersJSON = m["samplers"]
    else { throw fail("metadata is incomplete") }
    let missing = try network.load(
      { name in file.tensors[name] == nil ? nil : try file.tensor(name) },
      counter: { name in file.tensors[name] == nil ? nil : try file.integers(name).first })
    guard missing.isEmpty else { throw fail("missing tensors: \(missing.prefix(5).joined(separator: ", "))") }
    for (i, entry) in network.weights.enumerated() {
      let name = "optimizer.momentum_buffer." + entry.name
      optimizer.momentumBuffers[i] = file.tensors[name] == nil ? nil : try file.tensor(name)
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
    augmentationGenerator.state = rng
    dropPath.generator.state = dropRNG
    replicas.resetEmulatedStatistics()
    return m
  }

  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}
