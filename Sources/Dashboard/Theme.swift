import Foundation

/// Colours for every `ColorRole` plus a heat ramp for the alpha heatmaps.
///
/// Themes are files in `themes/` (see `Theme.parse(_:name:)` for the format); `Theme.builtIn` is used when
/// none are found, and fills in any role a file leaves out.
public struct Theme: Sendable, Equatable {
  /// Shown when cycling themes with `t`.
  public var name: String
  public var palette: [ColorRole: RGB]
  /// Colour stops from the lowest to the highest weight, interpolated to `CellColor.heatLevels` levels.
  public var heatStops: [RGB]
  /// The interpolated heat ramp, `CellColor.heatLevels` entries.
  public private(set) var heatRamp: [RGB]

  public init(name: String, palette: [ColorRole: RGB], heatStops: [RGB]) {
    self.name = name
    self.palette = palette
    self.heatStops = heatStops.isEmpty ? [RGB(0, 0, 0), RGB(255, 255, 255)] : heatStops
    self.heatRamp = Theme.ramp(self.heatStops, levels: CellColor.heatLevels)
  }

  /// The RGB value of a role (the built-in value when the theme leaves it out).
  public func color(_ role: ColorRole) -> RGB {
    palette[role] ?? Theme.builtInPalette[role] ?? RGB(200, 200, 200)
  }

  /// The RGB value of an abstract colour; nil for the terminal default.
  public func resolve(_ color: CellColor) -> RGB? {
    switch color {
    case .none: nil
    case .role(let role): self.color(role)
    case .heat(let level): heatRamp[min(max(level, 0), heatRamp.count - 1)]
    case .rgb(let rgb): rgb
    }
  }

  static func ramp(_ stops: [RGB], levels: Int) -> [RGB] {
    guard stops.count > 1 else { return Array(repeating: stops.first ?? RGB(0, 0, 0), count: levels) }
    return (0..<levels).map { level in
      let t = Double(level) / Double(levels - 1) * Double(stops.count - 1)
      let i = min(Int(t), stops.count - 2)
      return stops[i].mixed(with: stops[i + 1], t - Double(i))
    }
  }
}
