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
    var file = PhaseCheckpoint.file(stateDict: network.stateDict, statistics: network.statistics)
    PhaseCheckpoint.setMomentum(optimizer.momentumBuffers, of: network.weights, in: &file)
    file.metadata = PhaseCheckpoint.metadata(
      format: trainingCheckpointFormat, runID: runID, augmentation: augmentationGenerator, samplers: samplers,
      configuration: configuration.tomlText(), worldSize: replicas.worldSize,
      extra: ["drop_path_rng": String(dropPath.generator.state)], loopState: loopState)
    return file
  }

  public func restore(from bytes: [UInt8]) throws -> [String: String] {
    try restore(from: PhaseCheckpoint.file(bytes: bytes, fail: TrainingError.invalidCheckpoint))
  }

  /// Restores a checkpoint file; returns its metadata, which holds the loop's entries.
  @discardableResult
  public func restore(from file: SafeTensors) throws -> [String: String] {
    func fail(_ message: String) -> TrainingError { .invalidCheckpoint(message) }
    try PhaseCheckpoint.restoreShared(
      from: file, format: trainingCheckpointFormat, augmentation: &augmentationGenerator, samplers: &samplers,
      fail: fail)
    guard let dropRNG = file.metadata["drop_path_rng"].flatMap(UInt64.init) else {
      throw fail("metadata is incomplete")
    }
    let missing = try network.load(
      { name in file.tensors[name] == nil ? nil : try file.tensor(name) },
      counter: { name in file.tensors[name] == nil ? nil : try file.integers(name).first })
    guard missing.isEmpty else { throw fail("missing tensors: \(missing.prefix(5).joined(separator: ", "))") }
    optimizer.momentumBuffers = try PhaseCheckpoint.momentum(of: network.weights, in: file)
    dropPath.generator.state = dropRNG
    replicas.resetEmulatedStatistics()
    return file.metadata
  }
}
