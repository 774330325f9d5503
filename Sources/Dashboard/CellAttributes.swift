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
