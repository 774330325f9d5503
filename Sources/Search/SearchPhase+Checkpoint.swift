import Datasets
import Engine
import Foundation
import RunEvents

/// The checkpoint format written by `SearchPhase.checkpoint(loopState:)`.
public let checkpointFormat = "tailnas-checkpoint-1"

extension SearchPhase {
  /// Everything needed to continue the run exactly, as a safetensors file: weights, alphas and BN statistics
  /// under their DARTS names, optimizer state, sampler and generator state, the configuration, and the loop's
  /// entries (progress, best epoch, schedules with their edits).
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
    for (entry, buffer) in zip(network.weights, step.weightOptimizer.momentumBuffers) {
      if let buffer { file.set("optimizer.momentum_buffer." + entry.name, buffer) }
    }
    let adam = step.architect.optimizer
    for (i, entry) in network.architectureParameters.enumerated() {
      file.set("optimizer.exp_avg." + entry.name, adam.firstMoments[i])
      file.set("optimizer.exp_avg_sq." + entry.name, adam.secondMoments[i])
    }
    var samplerStates: [String: SamplerState] = [:]
    for (role, sampler) in samplers { samplerStates[role.rawValue] = sampler.state }
    file.metadata = loopState.merging(
      [
        "format": checkpointFormat,
        "run_id": runID,
        "augmentation_rng": String(augmentationGenerator.state),
        "adam_steps": adam.steps.map(String.init).joined(separator: ","),
        "samplers": Self.json(samplerStates),
        "config": configuration.tomlText(),
        "world_size": String(worldSize),
      ], uniquingKeysWith: { _, phase in phase })
    return file
  }

  /// Restores a checkpoint written by `checkpoint(loopState:)` for the same configuration; returns the
  /// loop's entries.
  public func restore(from bytes: [UInt8]) throws -> [String: String] {
    let file: SafeTensors
    do {
      file = try SafeTensors(bytes: Data(bytes), name: "checkpoint")
    } catch {
      throw SearchError.invalidCheckpoint("\(error)")
    }
    return try restore(from: file)
  }

  /// Restores a checkpoint file; returns its metadata, which holds the loop's entries.
  @discardableResult
  public func restore(from file: SafeTensors) throws -> [String: String] {
    func fail(_ message: String) -> SearchError { .invalidCheckpoint(message) }
    let m = file.metadata
    guard m["format"] == checkpointFormat else {
      throw fail("format is '\(m["format"] ?? "missing")', expected \(checkpointFormat)")
    }
    guard let rng = m["augmentation_rng"].flatMap(UInt64.init), let adamSteps = m["adam_steps"],
      let samplersJSON = m["samplers"]
    else { throw fail("metadata is incomplete") }
    let missing = try network.load { name in file.tensors[name] == nil ? nil : try file.tensor(name) }
    guard missing.isEmpty else { throw fail("missing tensors: \(missing.prefix(5).joined(separator: ", "))") }
    // Checkpoints written before the counters were kept have none; the count then starts again at 0.
    for entry in network.statistics {
      entry.statistics.batchesTracked =
        file.tensors[entry.counterName] == nil
        ? 0 : try file.integers(entry.counterName).first ?? 0
    }
    for (i, entry) in network.weights.enumerated() {
      let name = "optimizer.momentum_buffer." + entry.name
      step.weightOptimizer.momentumBuffers[i] = file.tensors[name] == nil ? nil : try file.tensor(name)
    }
    let adam = step.architect.optimizer
    for (i, entry) in network.architectureParameters.enumerated() {
      adam.firstMoments[i].assign(try file.tensor("optimizer.exp_avg." + entry.name))
      adam.secondMoments[i].assign(try file.tensor("optimizer.exp_avg_sq." + entry.name))
    }
    let stepsList = adamSteps.split(separator: ",").compactMap { Int($0) }
    guard stepsList.count == adam.steps.count else { throw fail("optimizer step counts do not match the network") }
    adam.steps = stepsList
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
    step.replicas.resetEmulatedStatistics()
    return m
  }

  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
  }
}
