import Foundation
import RunEvents
import RunLoop
import RunStore

extension RunSession {
  /// What a session takes from a phase's configuration to build the phase's loop.
  struct LoopPlan {
    var kind: LoopAnnouncement.Kind
    var schedules: Schedules
    var keepCheckpoints: Int
    var onNaN: NaNPolicy?
    /// The configuration as TOML text, announced to the other ranks.
    var configurationText: String
  }

  /// The loop of `phase` in `run`: events to the run's log and `sinks`, checkpoints in the run's directory,
  /// replication over the process's ranks, restored from `checkpoint` when given, with the run claimed.
  static func makeLoop(
    run: RunDirectory, phase: RunPhase, plan: LoopPlan, sinks: [EventSink], watching: Watching,
    checkpoint: ([UInt8], String)?, controls: ControlQueue
  ) throws -> (EpochLoop, ControlQueue) {
    let eventLog = try EventLogWriter(path: run.eventsPath)
    if let repair = eventLog.repair { printError("tailnas: \(repair)") }
    let world = ProcessWorld.current
    let loop = EpochLoop(
      phase: phase, schedules: plan.schedules, sink: FanOutSink([eventLog] + sinks), controls: controls,
      checkpoints: CheckpointDirectory(run: run, keep: plan.keepCheckpoints),
      nanPolicy: watching.nanPolicy(configured: plan.onNaN))
    loop.replication = world.replication(
      of: LoopAnnouncement(
        kind: plan.kind, runID: run.id, configuration: plan.configurationText, nanPolicy: loop.nanPolicy),
      watching: watching)
    if let (bytes, path) = checkpoint {
      world.checkWorldSize(ofCheckpoint: bytes)
      do {
        try loop.restore(from: bytes)
      } catch {
        throw RunStoreError.corruptCheckpoint(path: path, reason: "\(error)")
      }
    }
    try run.claimOwnership()
    return (loop, controls)
  }
}
