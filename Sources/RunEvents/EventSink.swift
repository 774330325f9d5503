import Foundation

/// Receives run events on the engine thread. Implementations must return quickly and never block on a
/// consumer. A sink that cannot keep an event (the event log on a full disk) throws; the run loop decides
/// what happens to the run.
public protocol EventSink: AnyObject, Sendable {
  func emit(_ event: RunEvent) throws
}
