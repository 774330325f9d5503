import Dashboard
import Foundation

/// How `TerminalApp` draws.
public struct TerminalOptions: Sendable {
  /// The directory of theme files (`*.toml`); nil or empty uses the built-in theme.
  public var themeDirectory: URL?
  /// Draw with ASCII characters only (no braille, box drawing or block shades). Also turned on when the
  /// locale is not UTF-8.
  public var ascii: Bool
  /// Force a colour depth instead of detecting it (NO_COLOR still wins unless this is set).
  public var colorOverride: ColorDepth?
  /// The name of the theme to start with (file name without extension or its `name`).
  public var themeName: String?
  /// At most this many redraws per second.
  public var maxFramesPerSecond: Int
  /// The environment used for TERM, NO_COLOR and COLORTERM.
  public var environment: [String: String]

  public init(
    themeDirectory: URL? = nil, ascii: Bool = false, colorOverride: ColorDepth? = nil, themeName: String? = nil,
    maxFramesPerSecond: Int = 20, environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.themeDirectory = themeDirectory
    self.ascii = ascii
    self.colorOverride = colorOverride
    self.themeName = themeName
    self.maxFramesPerSecond = maxFramesPerSecond
    self.environment = environment
  }
}

/// Why the terminal cannot be used.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
  /// TERM is unset, empty or `dumb`.
  case unusableTerminal(String)
  /// stdin or stdout is not a terminal.
  case notATerminal
  /// ncurses could not start (e.g. no terminfo entry for TERM).
  case cursesFailed(String)

  public var description: String {
    switch self {
    case .unusableTerminal(let reason):
      "cannot draw the dashboard: \(reason); use --headless or set TERM (e.g. xterm-256color)"
    case .notATerminal: "cannot draw the dashboard: stdin/stdout is not a terminal; use --headless"
    case .cursesFailed(let reason): "cannot draw the dashboard: \(reason); use --headless"
    }
  }
}
