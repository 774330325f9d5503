import Data
import Engine
import Foundation
import RunEvents

/// The checkpoint format written by `SearchRunner.checkpoint()`.
public let checkpointFormat = "tailnas-checkpoint-1"

extension SearchRunner {
  /// Everything needed to continue the run exactly: weights, alphas and BN statistics under their DARTS
  /// names, optimizer state, sampler and RNG state, the schedules (with mid-run edits) and progress.
  public func checkpoint() -> SafeTensors {
    var file = SafeTensors()
    for entry in network.stateDict { file.set(entry.name, entry.tensor) }
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
    file.metadata = [
      "format": checkpointFormat,
      "run_id": runID,
      "epoch": String(epoch),
      "global_step": String(globalStep),
      "best_accuracy": String(bestAccuracy),
      "best_epoch": String(bestEpoch),
      "augmentation_rng": String(augmentationGenerator.state),
      "adam_steps": adam.steps.map(String.init).joined(separator: ","),
      "schedules": Self.json(schedules),
      "samplers": Self.json(samplerStates),
      "config": configuration.tomlText(),
    ]
    return file
  }

  /// Restores a checkpoint written by `checkpoint()` for the same configuration.
  public func restore(from file: SafeTensors) throws {
    func fail(_ message: String) -> SearchError { .invalidCheckpoint(message) }
    let m = file.metadata
    guard m["format"] == checkpointFormat else {
      throw fail("format is '\(m["format"] ?? "missing")', expected \(checkpointFormat)")
    }
    guard let nextEpoch = m["epoch"].flatMap(Int.init), let step = m["global_step"].flatMap(Int.init),
      let best = m["best_accuracy"].flatMap(Double.init), let bestAt = m["best_epoch"].flatMap(Int.init),
      let rng = m["augmentation_rng"].flatMap(UInt64.init), let adamSteps = m["adam_steps"],
      let schedulesJSON = m["schedules"], let samplersJSON = m["samplers"]
    else { throw fail("metadata is incomplete") }
    let missing = try network.load { name in file.tensors[name] == nil ? nil : try file.tensor(name) }
    guard missing.isEmpty else { throw fail("missing tensors: \(missing.prefix(5).joined(separator: ", "))") }
    for (i, entry) in network.weights.enumerated() {
      let name = "optimizer.momentum_buffer." + entry.name
      self.step.weightOptimizer.momentumBuffers[i] = file.tensors[name] == nil ? nil : try file.tensor(name)
    }
    let adam = self.step.architect.optimizer
    for (i, entry) in network.architectureParameters.enumerated() {
      adam.firstMoments[i].assign(try file.tensor("optimizer.exp_avg." + entry.name))
      adam.secondMoments[i].assign(try file.tensor("optimizer.exp_avg_sq." + entry.name))
    }
    let stepsList = adamSteps.split(separator: ",").compactMap { Int($0) }
    guard stepsList.count == adam.steps.count else { throw fail("optimizer step counts do not match the network") }
    adam.steps = stepsList
    do {
      schedules = try JSONDecoder().decode(Schedules.self, from: Foundation.Data(schedulesJSON.utf8))
      let states = try JSONDecoder().decode([String: SamplerState].self, from: Foundation.Data(samplersJSON.utf8))
      for role in samplers.keys {
        guard let state = states[role.rawValue] else { throw fail("no state for sampler \(role.rawValue)") }
        try samplers[role]!.restore(state)
      }
    } catch let error as SearchError {
      throw error
    } catch {
      throw fail("cannot read the schedule or sampler state: \(error)")
    }
    epoch = nextEpoch
    globalStep = step
    bestAccuracy = best
    bestEpoch = bestAt
    augmentationGenerator.state = rng
  }

  static func json<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(value)) ?? Foundation.Data(), as: UTF8.self)
  }
}
