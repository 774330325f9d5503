import Foundation
import RunEvents

/// Why the dashboard returned.
public enum TerminalExit: Sendable, Equatable {
  /// The user quit a replay, or quit a running search after confirming (a `.stop` command was sent).
  case userQuit
  /// The search had finished (or failed, or its thread ended) and the user quit.
  case finishedAndQuit
  /// SIGINT, SIGTERM or SIGHUP arrived; the terminal was restored.
  case interrupted(signal: Int32)
  /// The terminal could not be used.
  case failed(String)
}
