import Foundation

/// A bounded, non-blocking channel from the engine thread to the dashboard.
///
/// `emit` never waits: when the buffer is full, the oldest step report is dropped (step reports are
/// superseded by the next one); if none is left to drop, the oldest event is dropped and counted.
/// Epoch, control and lifecycle events are kept in preference to step reports.
public final class EventChannel: EventSink, @unchecked Sendable {
  private let lock = NSLock()
  private var buffer: [RunEvent] = []
  private let capacity: Int
  /// Events dropped because the consumer fell behind.
  public private(set) var droppedCount = 0

  public init(capacity: Int = 1024) {
    self.capacity = max(capacity, 2)
  }

  public func emit(_ event: RunEvent) {
    lock.lock()
    defer { lock.unlock() }
    if buffer.count >= capacity {
      if let index = buffer.firstIndex(where: \.isDroppable) {
        buffer.remove(at: index)
      } else {
        buffer.removeFirst()
      }
      droppedCount += 1
    }
    buffer.append(event)
  }

  /// Takes every waiting event, oldest first.
  public func drain() -> [RunEvent] {
    lock.lock()
    defer { lock.unlock() }
    let events = buffer
    buffer.removeAll(keepingCapacity: true)
    return events
  }

  /// The number of waiting events.
  public var pendingCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return buffer.count
  }
}
