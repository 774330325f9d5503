import Architecture

/// A schedule edit as applied.
public struct EditMarker: Sendable, Equatable {
  /// The step before which the edit took effect.
  public var globalStep: Int
  public var epoch: Int
  public var edit: ScheduleEdit
  /// The curve it replaced.
  public var previous: Curve?

  public init(globalStep: Int, epoch: Int, edit: ScheduleEdit, previous: Curve?) {
    self.globalStep = globalStep
    self.epoch = epoch
    self.edit = edit
    self.previous = previous
  }
}
