import Foundation
import RunEvents

/// Problems of the run loop's own state.
public enum EpochLoopError: Error, CustomStringConvertible, Equatable {
  case invalidCheckpoint(String)

  public var description: String {
    switch self {
    case .invalidCheckpoint(let message): "the checkpoint cannot be used: \(message)"
    }
  }
}
