import Architecture

/// What an event changed in a `RunHistory`, for views that keep something derived from it.
public struct HistoryChange: Sendable, Equatable {
  /// Step reports were dropped (a resumed segment replaces the steps after its checkpoint).
  public var stepsRemoved = false
  /// A step report was appended.
  public var stepAppended = false

  public init(stepsRemoved: Bool = false, stepAppended: Bool = false) {
    self.stepsRemoved = stepsRemoved
    self.stepAppended = stepAppended
  }
}
