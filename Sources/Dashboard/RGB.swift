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
