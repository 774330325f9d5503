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
