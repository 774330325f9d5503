import Architecture

/// A stretch of the run during which it was paused, in global steps.
public struct PauseInterval: Sendable, Equatable {
  public var startStep: Int
  /// Nil while still paused.
  public var endStep: Int?
  /// Why the engine paused on its own (e.g. a NaN loss), nil for a user pause.
  public var reason: String?

  public init(startStep: Int, endStep: Int? = nil, reason: String? = nil) {
    self.startStep = startStep
    self.endStep = endStep
    self.reason = reason
  }
}
