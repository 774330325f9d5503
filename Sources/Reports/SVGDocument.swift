import Foundation

/// A standalone SVG 1.1 document built from `SVGElement`s.
public struct SVGDocument: Sendable {
  public var width: Double
  public var height: Double
  /// The document title, shown by viewers and read by screen readers.
  public var title: String
  public private(set) var elements: [SVGElement] = []

  /// An empty document with a white background.
  public init(width: Double, height: Double, title: String) {
    self.width = width
    self.height = height
    self.title = title
    elements.append(.rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff"))
  }

  /// Appends an element.
  public mutating func append(_ element: SVGElement) {
    elements.append(element)
  }

  /// Appends elements.
  public mutating func append(contentsOf more: [SVGElement]) {
    elements += more
  }

  /// The document as XML text.
  public var xml: String {
    var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let root = SVGElement(
      "svg",
      [
        ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"), ("width", Self.number(width)),
        ("height", Self.number(height)), ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
        ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"),
      ],
      children: [.title(title)] + elements)
    root.render(into: &out, depth: 0)
    return out
  }

  /// `text` escaped for XML content and attribute values; characters XML 1.0 forbids (control characters
  /// other than tab, line feed and carriage return) become U+FFFD.
  public static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        let v = scalar.value
        let allowed = (v >= 0x20 && v < 0xD800) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
        out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros.
  public static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    var text = String(format: "%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
  }
}
