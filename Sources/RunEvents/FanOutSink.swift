import Foundation

/// Sends each event to several sinks in order. Every sink gets the event even when an earlier one fails
/// (the dashboard keeps showing a run whose log hit a full disk); the first failure is rethrown.
public final class FanOutSink: EventSink {
  public let sinks: [EventSink]

  public init(_ sinks: [EventSink]) {
    self.sinks = sinks
  }

  public func emit(_ event: RunEvent) throws {
    var failure: Error?
    for sink in sinks {
      do {
        try sink.emit(event)
      } catch {
        if failure == nil { failure = error }
      }
    }
    if let failure { throw failure }
  }
}
