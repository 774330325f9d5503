import RunEvents

/// Options fixed for a dashboard session.
public struct RenderOptions: Sendable, Equatable {
  /// Draw charts and heatmaps with ASCII characters only (no braille, box drawing or block shades).
  public var ascii: Bool
  /// The terminal shows no colour (NO_COLOR or a monochrome terminal): heatmaps use shade characters.
  public var colorless: Bool

  public init(ascii: Bool = false, colorless: Bool = false) {
    self.ascii = ascii
    self.colorless = colorless
  }
}
