/// A terminal size in cells.
public struct TerminalSize: Sendable, Equatable, Hashable, CustomStringConvertible {
  public var width: Int
  public var height: Int

  public init(width: Int, height: Int) {
    self.width = width
    self.height = height
  }

  /// The smallest size the dashboard lays out: 80 x 24.
  public static let minimum = TerminalSize(width: 80, height: 24)

  /// `80x24`.
  public var description: String { "\(width)x\(height)" }
}
