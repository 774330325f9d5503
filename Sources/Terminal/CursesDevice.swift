import CNcurses
import Dashboard

/// The real terminal: ncurses on the thread that created it. Every curses call of tailnas is in this file.
final class CursesDevice: TerminalDevice {
  let depth: ColorDepth
  private var screen: OpaquePointer?
  private var pairs: [PairKey: Int32] = [:]
  private let maxPairs: Int
  private var ended = false

  private struct PairKey: Hashable {
    var foreground: Int
    var background: Int
  }

  /// Starts curses on stdin/stdout. Call `close()` on every exit path.
  init(colorOverride: ColorDepth?, environment: [String: String]) throws {
    tailnas_install_signal_handlers()
    tailnas_register_exit_handler()
    guard let screen = tailnas_newterm() else {
      tailnas_restore_signal_handlers()
      throw TerminalError.cursesFailed("ncurses does not know TERM=\(environment["TERM"] ?? "")")
    }
    self.screen = screen
    _ = cbreak()
    _ = noecho()
    _ = nonl()
    _ = keypad(tailnas_stdscr(), true)
    _ = curs_set(0)
    _ = set_escdelay(25)
    var depth = ColorDepth.monochrome
    if has_colors() {
      _ = start_color()
      depth = colorOverride ?? ColorDepth.detect(colors: Int(tailnas_colors()), environment: environment)
      if depth == .trueColor && tailnas_colors() < 1 << 24 { depth = .indexed256 }
    }
    if colorOverride == .monochrome { depth = .monochrome }
    self.depth = depth
    self.maxPairs = Int(tailnas_color_pairs())
  }

  /// Restores the terminal (idempotent).
  func close() {
    guard !ended else { return }
    ended = true
    _ = curs_set(1)
    _ = endwin()
    if let screen { delscreen(screen) }
    screen = nil
    tailnas_restore_signal_handlers()
  }

  deinit { close() }

  var size: TerminalSize {
    TerminalSize(width: Int(tailnas_cols()), height: Int(tailnas_lines()))
  }

  var interruption: Int32? {
    let signal = tailnas_caught_signal()
    return signal == 0 ? nil : signal
  }

  func readKey(timeout: Double) -> Key? {
    var code: Int32 = 0
    switch tailnas_read_key(Int32(max(timeout, 0) * 1000), &code) {
    case 1:
      switch code {
      case tailnas_key_up(): return .up
      case tailnas_key_down(): return .down
      case tailnas_key_left(): return .left
      case tailnas_key_right(): return .right
      case tailnas_key_home(): return .home
      case tailnas_key_end(): return .end
      case tailnas_key_backspace(): return .backspace
      case tailnas_key_enter(): return .enter
      case tailnas_key_btab(): return .backTab
      case tailnas_key_resize(): return .resize
      default: return nil
      }
    case 0:
      switch code {
      case 9: return .tab
      case 10, 13: return .enter
      case 27: return .escape
      case 8, 127: return .backspace
      default:
        guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
        return .character(Character(scalar))
      }
    default:
      return nil
    }
  }

  func present(_ runs: [CellRun], theme: Theme, clear: Bool) {
    if clear {
      pairs.removeAll()
      _ = erase()
    }
    var text: [wchar_t] = []
    for run in runs {
      text.removeAll(keepingCapacity: true)
      for scalar in run.scalars { text.append(wchar_t(bitPattern: scalar.value)) }
      let attributes = run.style.attributes
      let attr = tailnas_attributes(
        attributes.contains(.bold) ? 1 : 0, attributes.contains(.dim) ? 1 : 0, attributes.contains(.reverse) ? 1 : 0,
        attributes.contains(.underline) ? 1 : 0)
      let pair = self.pair(run.style, theme: theme)
      _ = text.withUnsafeBufferPointer { buffer in
        tailnas_put(Int32(run.y), Int32(run.x), buffer.baseAddress, Int32(buffer.count), attr, pair)
      }
    }
    _ = refresh()
  }

  /// The colour pair of a style, allocated on first use.
  private func pair(_ style: CellStyle, theme: Theme) -> Int32 {
    guard depth != .monochrome else { return 0 }
    let foreground = theme.resolve(style.foreground) ?? theme.color(.text)
    let background = theme.resolve(style.background) ?? theme.color(.background)
    let key = PairKey(foreground: depth.index(of: foreground) ?? -1, background: depth.index(of: background) ?? -1)
    if let pair = pairs[key] { return pair }
    if pairs.count + 1 >= maxPairs { pairs.removeAll() }
    let pair = Int32(pairs.count + 1)
    _ = init_extended_pair(pair, Int32(key.foreground), Int32(key.background))
    pairs[key] = pair
    return pair
  }
}
