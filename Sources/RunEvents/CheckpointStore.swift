import Foundation

/// Where a run keeps its per-epoch checkpoints (the run store implements it): the bytes of one file per
/// epoch, written whole or not at all.
public protocol CheckpointStore: AnyObject {
  /// Writes the checkpoint taken at the end of `epoch` (0-based); returns where it went.
  func writeCheckpoint(_ bytes: [UInt8], epoch: Int) throws -> String
}
