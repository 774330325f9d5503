/// What a colour means; a `Theme` gives each role its RGB value.
public enum ColorRole: String, Sendable, CaseIterable, Hashable {
  case background
  case text
  case muted
  case border
  case focus
  case title
  case accent
  case statusBar = "status_bar"
  case paused
  case pausedText = "paused_text"
  case warning
  case error
  case good
  case train
  case validation
  case instance
  case classHead = "class_head"
  case overall
  case many
  case medium
  case few
  case planned
  case pauseBand = "pause_band"
  case editMarker = "edit_marker"
  case axis
  case overlay

  /// One letter for the style dump of snapshot tests.
  public var code: Character {
    switch self {
    case .background: "_"
    case .text: "t"
    case .muted: "m"
    case .border: "b"
    case .focus: "F"
    case .title: "T"
    case .accent: "a"
    case .statusBar: "s"
    case .paused: "P"
    case .pausedText: "p"
    case .warning: "W"
    case .error: "E"
    case .good: "g"
    case .train: "r"
    case .validation: "v"
    case .instance: "i"
    case .classHead: "c"
    case .overall: "o"
    case .many: "1"
    case .medium: "2"
    case .few: "3"
    case .planned: "n"
    case .pauseBand: "z"
    case .editMarker: "e"
    case .axis: "x"
    case .overlay: "O"
    }
  }
}
