import CNcurses
import Dashboard
import Foundation
import RunEvents

/// The dashboard in a real terminal. All curses calls happen on the thread that calls `run`.
///
/// ```swift
/// let exit = try TerminalApp(options: TerminalOptions(themeDirectory: themes, ascii: false))
///   .run(source: .live(channel, isRunning: { engine.isRunning }), controls: { queue.send($0) })
/// ```
public final class TerminalApp {
  public let options: TerminalOptions
  /// The themes found (never empty: the built-in theme when no file loads).
  public let themes: [Theme]
  /// Theme files that did not parse.
  public let themeErrors: [ThemeError]

  /// Checks that the terminal is usable and loads the themes; throws `TerminalError` when TERM is unset or
  /// `dumb`, or stdin/stdout is not a terminal.
  public init(options: TerminalOptions = TerminalOptions()) throws {
    let term = options.environment["TERM"] ?? ""
    if term.isEmpty { throw TerminalError.unusableTerminal("TERM is not set") }
    if term == "dumb" { throw TerminalError.unusableTerminal("TERM=dumb cannot position the cursor") }
    guard isatty(0) == 1, isatty(1) == 1 else { throw TerminalError.notATerminal }
    self.options = options
    (themes, themeErrors) = Theme.load(directory: options.themeDirectory)
  }

  /// Shows `source` until the user quits or a signal arrives, sending the user's commands to `controls`
  /// (in practice `ControlQueue.send`). The terminal is restored on every exit path.
  public func run(source: DashboardSource, controls: @escaping @Sendable (ControlCommand) -> Void) throws
    -> TerminalExit
  {
    setlocale(LC_ALL, "")
    let utf8 = tailnas_locale_is_utf8() != 0
    let device = try CursesDevice(colorOverride: options.colorOverride, environment: options.environment)
    defer { device.close() }
    var mode = DashboardMode.live
    if case .replay = source { mode = .replay }
    var model = DashboardModel(
      mode: mode, themeNames: themes.map(\.name),
      options: RenderOptions(ascii: options.ascii || !utf8, colorless: device.depth == .monochrome),
      size: device.size)
    if let name = options.themeName, let index = themes.firstIndex(where: { $0.name == name }) {
      model.selectTheme(index)
    }
    let session = DashboardSession(
      model: model, themes: themes, device: device, source: source, controls: controls,
      maxFramesPerSecond: options.maxFramesPerSecond)
    return session.run()
  }

  /// The colour depth this terminal would use, for `--help` or diagnostics (starts no curses).
  public static func describe(options: TerminalOptions) -> String {
    let noColor = options.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return "TERM=\(options.environment["TERM"] ?? "(unset)")\(noColor ? ", NO_COLOR set" : "")"
  }
}
