import Foundation

/// Commands from the UI to the engine. The UI sends without waiting; the engine takes them at step
/// boundaries, and while paused it sleeps until a command arrives.
public final class ControlQueue: @unchecked Sendable {
  private let condition = NSCondition()
  private var pending: [ControlCommand] = []

  public init() {}

  /// Queues a command.
  public func send(_ command: ControlCommand) {
    condition.lock()
    pending.append(command)
    condition.signal()
    condition.unlock()
  }

  /// Takes the queued commands without waiting.
  public func take() -> [ControlCommand] {
    condition.lock()
    defer { condition.unlock() }
    let commands = pending
    pending.removeAll()
    return commands
  }

  /// Waits up to `timeout` seconds for at least one command, then takes all queued commands.
  public func wait(timeout: TimeInterval) -> [ControlCommand] {
    condition.lock()
    defer { condition.unlock() }
    if pending.isEmpty { _ = condition.wait(until: Date().addingTimeInterval(timeout)) }
    let commands = pending
    pending.removeAll()
    return commands
  }
}
