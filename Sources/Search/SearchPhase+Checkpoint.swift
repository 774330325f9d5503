import Datasets
import Engine
import Foundation
import Operations
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
    var file = PhaseCheckpoint.file(stateDict: network.stateDict, statistics: network.statistics)
    PhaseCheckpoint.setMomentum(step.weightOptimizer.momentumBuffers, of: network.weights, in: &file)
    let adam = step.architect.optimizer
    for (i, entry) in network.architectureParameters.enumerated() {
      file.set("optimizer.exp_avg." + entry.name, adam.firstMoments[i])
      file.set("optimizer.exp_avg_sq." + entry.name, adam.secondMoments[i])
    }
    file.metadata = PhaseCheckpoint.metadata(
      format: checkpointFormat, runID: runID, augmentation: augmentationGenerator, samplers: samplers,
      configuration: configuration.tomlText(), worldSize: worldSize,
      extra: ["adam_steps": adam.steps.map(String.init).joined(separator: ",")], loopState: loopState)
    return file
  }

  /// Restores a checkpoint written by `checkpoint(loopState:)` for the same configuration; returns the
  /// loop's entries.
  public func restore(from bytes: [UInt8]) throws -> [String: String] {
    try restore(from: PhaseCheckpoint.file(bytes: bytes, fail: SearchError.invalidCheckpoint))
  }

  /// Restores a checkpoint file; returns its metadata, which holds the loop's entries.
  @discardableResult
  public func restore(from file: SafeTensors) throws -> [String: String] {
    func fail(_ message: String) -> SearchError { .invalidCheckpoint(message) }
    try PhaseCheckpoint.restoreShared(
      from: file, format: checkpointFormat, augmentation: &augmentationGenerator, samplers: &samplers, fail: fail)
    guard let adamSteps = file.metadata["adam_steps"] else { throw fail("metadata is incomplete") }
    let missing = try network.load { name in file.tensors[name] == nil ? nil : try file.tensor(name) }
    guard missing.isEmpty else { throw fail("missing tensors: \(missing.prefix(5).joined(separator: ", "))") }
    // Checkpoints written before the counters were kept have none; the count then starts again at 0.
    for entry in network.statistics {
      entry.statistics.batchesTracked =
        file.tensors[entry.counterName] == nil
        ? 0 : try file.integers(entry.counterName).first ?? 0
    }
    step.weightOptimizer.momentumBuffers = try PhaseCheckpoint.momentum(of: network.weights, in: file)
    let adam = step.architect.optimizer
    for (i, entry) in network.architectureParameters.enumerated() {
      adam.firstMoments[i].assign(try file.tensor("optimizer.exp_avg." + entry.name))
      adam.secondMoments[i].assign(try file.tensor("optimizer.exp_avg_sq." + entry.name))
    }
    let stepsList = adamSteps.split(separator: ",").compactMap { Int($0) }
    guard stepsList.count == adam.steps.count else { throw fail("optimizer step counts do not match the network") }
    adam.steps = stepsList
    step.replicas.resetEmulatedStatistics()
    return file.metadata
  }
}
