import Foundation
import RunEvents

/// Where the dashboard's events come from.
public enum DashboardSource: Sendable {
  /// A running search: the channel it emits into, and whether its thread is still running.
  case live(EventChannel, isRunning: @Sendable () -> Bool)
  /// A saved run's events, all known up front.
  case replay([RunEvent])
}
