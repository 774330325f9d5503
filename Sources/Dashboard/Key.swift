/// A key press (or a terminal resize) as the dashboard sees it.
public enum Key: Sendable, Equatable, Hashable, CustomStringConvertible {
  case character(Character)
  case up
  case down
  case left
  case right
  case home
  case end
  case tab
  case backTab
  case enter
  case escape
  case backspace
  /// The terminal changed size.
  case resize

  /// The key's name as the help overlay writes it.
  public var description: String {
    switch self {
    case .character(" "): "space"
    case .character(let c): String(c)
    case .up: "Up"
    case .down: "Down"
    case .left: "Left"
    case .right: "Right"
    case .home: "Home"
    case .end: "End"
    case .tab: "Tab"
    case .backTab: "Shift-Tab"
    case .enter: "Enter"
    case .escape: "Esc"
    case .backspace: "Backspace"
    case .resize: "resize"
    }
  }
}
