import Dashboard

/// A terminal test double that keeps the screen in memory: `present` applies the runs to `screen`, exactly
/// as curses would, so tests can check that the blitted diffs reproduce the full frame.
final class InMemoryTerminal: TerminalDevice {
  var size: TerminalSize {
    didSet { screen = ScreenBuffer(width: size.width, height: size.height) }
  }
  var keys: [Key] = []
  private(set) var screen: ScreenBuffer
  private(set) var presents = 0
  private(set) var clears = 0
  private(set) var cellsWritten = 0
  private(set) var lastTheme: Theme?
  var interruption: Int32?

  init(size: TerminalSize) {
    self.size = size
    self.screen = ScreenBuffer(width: size.width, height: size.height)
  }

  func readKey(timeout: Double) -> Key? {
    keys.isEmpty ? nil : keys.removeFirst()
  }

  func present(_ runs: [CellRun], theme: Theme, clear: Bool) {
    if clear {
      screen = ScreenBuffer(width: size.width, height: size.height)
      clears += 1
    }
    for run in runs {
      screen.apply(run)
      cellsWritten += run.scalars.count
    }
    presents += 1
    lastTheme = theme
  }
}
