import Foundation

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
