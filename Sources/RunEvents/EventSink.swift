import Foundation

/// Receives run events on the engine thread. Implementations must return quickly and never block on a
/// consumer.
public protocol EventSink: AnyObject, Sendable {
  func emit(_ event: RunEvent)
}

/// Keeps every event in memory, for tests and for replaying into a dashboard.
public final class InMemoryEventSink: EventSink, @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [RunEvent] = []

  public init() {}

  public func emit(_ event: RunEvent) {
    lock.lock()
    stored.append(event)
    lock.unlock()
  }

  /// A snapshot of the events so far.
  public var events: [RunEvent] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
}

/// Sends each event to several sinks in order.
public final class FanOutSink: EventSink {
  public let sinks: [EventSink]

  public init(_ sinks: [EventSink]) {
    self.sinks = sinks
  }

  public func emit(_ event: RunEvent) {
    for sink in sinks { sink.emit(event) }
  }
}
