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
