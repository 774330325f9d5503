import Foundation
import RunEvents

/// A terminal as the session loop needs it: size, keys, and a place to show changed cells. `Terminal`'s
/// curses device is the real one; the tests use an in-memory one.
public protocol TerminalDevice: AnyObject {
  /// The current size in cells.
  var size: TerminalSize { get }
  /// Waits up to `timeout` seconds for a key; nil when none arrived.
  func readKey(timeout: Double) -> Key?
  /// Shows `runs`, the cells that changed since the last frame; with `clear`, the screen is repainted from
  /// blank first (the runs then cover every cell). Colours resolve through `theme`.
  func present(_ runs: [CellRun], theme: Theme, clear: Bool)
  /// The signal that asked the program to stop, if any.
  var interruption: Int32? { get }
}
