import Foundation
import RunEvents

/// Writes per-epoch checkpoints atomically into a run's `checkpoints/` and keeps the newest few.
public final class CheckpointDirectory: CheckpointStore, @unchecked Sendable {
  let run: RunDirectory
  let keep: Int

  public init(run: RunDirectory, keep: Int) {
    self.run = run
    self.keep = max(1, keep)
  }

  public func writeCheckpoint(_ bytes: [UInt8], epoch: Int) throws -> String {
    let url = run.checkpointsURL.appendingPathComponent(String(format: "epoch-%03d.safetensors", epoch + 1))
    try DurableFile.writeAtomically(bytes, to: url.path)
    let all = run.checkpoints()
    for old in all.dropLast(keep) { try? FileManager.default.removeItem(at: old) }
    return url.path
  }
}
