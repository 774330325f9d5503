import Architecture
import Foundation

/// Commands from the user to the engine, applied at the next step boundary.
public enum ControlCommand: Codable, Sendable, Equatable {
  case pause
  case resume
  case stop
  case edit(ScheduleEdit)
}
