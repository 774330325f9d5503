/// A 24-bit colour.
public struct RGB: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Parses `#rrggbb` (or `rrggbb`).
  public init?(hex: String) {
    var text = Substring(hex)
    if text.hasPrefix("#") { text = text.dropFirst() }
    guard text.count == 6, let value = UInt32(text, radix: 16) else { return nil }
    self.init(UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff))
  }

  /// `#rrggbb`.
  public var description: String {
    let digits = Array("0123456789abcdef")
    var s = "#"
    for byte in [red, green, blue] {
      s.append(digits[Int(byte >> 4)])
      s.append(digits[Int(byte & 0xf)])
    }
    return s
  }

  /// The colour a fraction `t` of the way from `self` to `other`.
  public func mixed(with other: RGB, _ t: Double) -> RGB {
    func lerp(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * min(max(t, 0), 1)).rounded())
    }
    return RGB(lerp(red, other.red), lerp(green, other.green), lerp(blue, other.blue))
  }
}

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

/// An abstract cell colour: the terminal default, a theme role, a level of the theme's heat ramp, or a
/// fixed RGB value.
public enum CellColor: Sendable, Equatable, Hashable {
  case none
  case role(ColorRole)
  /// Level 0...15 of the theme's heat ramp (0 = lowest weight).
  case heat(Int)
  case rgb(RGB)

  /// The number of heat levels.
  public static let heatLevels = 16

  /// The heat level of `fraction` in [0, 1].
  public static func heat(fraction: Double) -> CellColor {
    let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    return .heat(min(Int(f * Double(heatLevels)), heatLevels - 1))
  }

  /// Two characters for the style dump: `t ` for a role, `h7` for heat level 7, `# ` for RGB, `. ` for none.
  var code: String {
    switch self {
    case .none: "."
    case .role(let role): String(role.code)
    case .heat(let level): "h" + String(level, radix: 16)
    case .rgb: "#"
    }
  }
}

/// Text attributes of a cell.
public struct CellAttributes: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let bold = CellAttributes(rawValue: 1)
  public static let dim = CellAttributes(rawValue: 2)
  public static let reverse = CellAttributes(rawValue: 4)
  public static let underline = CellAttributes(rawValue: 8)

  /// `b`, `d`, `r`, `u` letters for the style dump.
  var code: String {
    var s = ""
    if contains(.bold) { s += "b" }
    if contains(.dim) { s += "d" }
    if contains(.reverse) { s += "r" }
    if contains(.underline) { s += "u" }
    return s
  }
}

/// Foreground, background and attributes of a cell.
public struct CellStyle: Sendable, Equatable, Hashable {
  public var foreground: CellColor
  public var background: CellColor
  public var attributes: CellAttributes

  public init(foreground: CellColor = .none, background: CellColor = .none, attributes: CellAttributes = []) {
    self.foreground = foreground
    self.background = background
    self.attributes = attributes
  }

  /// A style with a foreground role.
  public init(_ role: ColorRole, _ attributes: CellAttributes = [], background: CellColor = .none) {
    self.init(foreground: .role(role), background: background, attributes: attributes)
  }

  /// The terminal default.
  public static let plain = CellStyle()
  /// Body text.
  public static let text = CellStyle(.text)
  /// Secondary text.
  public static let muted = CellStyle(.muted)

  /// The same style with extra attributes.
  public func adding(_ extra: CellAttributes) -> CellStyle {
    var s = self
    s.attributes.formUnion(extra)
    return s
  }

  /// The same style on another background.
  public func on(_ background: CellColor) -> CellStyle {
    var s = self
    s.background = background
    return s
  }
}
