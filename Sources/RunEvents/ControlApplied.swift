import Architecture
import Foundation

/// A control command as the engine applied it.
public struct ControlApplied: Codable, Sendable, Equatable {
  public var command: ControlCommand
  public var epoch: Int
  public var globalStep: Int
  /// For schedule edits, the curve replaced.
  public var previous: Curve?
  /// Why, when the engine acted on its own (e.g. a NaN loss paused the search).
  public var reason: String?

  public init(command: ControlCommand, epoch: Int, globalStep: Int, previous: Curve? = nil, reason: String? = nil) {
    self.command = command
    self.epoch = epoch
    self.globalStep = globalStep
    self.previous = previous
    self.reason = reason
  }
}
