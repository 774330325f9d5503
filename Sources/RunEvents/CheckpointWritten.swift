import Architecture
import Foundation

/// A checkpoint on disk.
public struct CheckpointWritten: Codable, Sendable, Equatable {
  public var epoch: Int
  public var path: String

  public init(epoch: Int, path: String) {
    self.epoch = epoch
    self.path = path
  }
}
