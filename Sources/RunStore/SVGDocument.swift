import Foundation

/// One SVG element: a name, attributes in order, children and optional text content. Text and attribute
/// values are escaped when rendered.
public struct SVGElement: Sendable, Equatable {
  public var name: String
  public var attributes: [(String, String)]
  public var children: [SVGElement]
  public var text: String?

  public init(_ name: String, _ attributes: [(String, String)] = [], children: [SVGElement] = [], text: String? = nil) {
    self.name = name
    self.attributes = attributes
    self.children = children
    self.text = text
  }

  public static func == (lhs: SVGElement, rhs: SVGElement) -> Bool {
    lhs.name == rhs.name && lhs.attributes.elementsEqual(rhs.attributes, by: { $0 == $1 })
      && lhs.children == rhs.children && lhs.text == rhs.text
  }

  /// A rectangle.
  public static func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, strokeWidth: Double = 1
  ) -> SVGElement {
    var attributes = [
      ("x", SVGDocument.number(x)), ("y", SVGDocument.number(y)), ("width", SVGDocument.number(width)),
      ("height", SVGDocument.number(height)), ("fill", fill),
    ]
    if let stroke { attributes += [("stroke", stroke), ("stroke-width", SVGDocument.number(strokeWidth))] }
    return SVGElement("rect", attributes)
  }

  /// A straight line.
  public static func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil
  ) -> SVGElement {
    var attributes = [
      ("x1", SVGDocument.number(x1)), ("y1", SVGDocument.number(y1)), ("x2", SVGDocument.number(x2)),
      ("y2", SVGDocument.number(y2)), ("stroke", stroke), ("stroke-width", SVGDocument.number(width)),
    ]
    if let dash { attributes.append(("stroke-dasharray", dash)) }
    return SVGElement("line", attributes)
  }

  /// An open polyline through `points`.
  public static func polyline(
    _ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5, dash: String? = nil, opacity: Double = 1
  ) -> SVGElement {
    let coordinates = points.map { "\(SVGDocument.number($0.x)),\(SVGDocument.number($0.y))" }.joined(separator: " ")
    var attributes = [
      ("points", coordinates), ("fill", "none"), ("stroke", stroke), ("stroke-width", SVGDocument.number(width)),
      ("stroke-linejoin", "round"),
    ]
    if let dash { attributes.append(("stroke-dasharray", dash)) }
    if opacity < 1 { attributes.append(("stroke-opacity", SVGDocument.number(opacity))) }
    return SVGElement("polyline", attributes)
  }

  /// A filled circle.
  public static func circle(x: Double, y: Double, radius: Double, fill: String) -> SVGElement {
    SVGElement(
      "circle",
      [
        ("cx", SVGDocument.number(x)), ("cy", SVGDocument.number(y)), ("r", SVGDocument.number(radius)),
        ("fill", fill),
      ])
  }

  /// A text label; `anchor` is `start`, `middle` or `end`; `rotation` turns it about its anchor point.
  public static func text(
    _ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "start", weight: String? = nil,
    fill: String = "#222222", rotation: Double? = nil
  ) -> SVGElement {
    var attributes = [
      ("x", SVGDocument.number(x)), ("y", SVGDocument.number(y)), ("font-size", SVGDocument.number(size)),
      ("text-anchor", anchor), ("fill", fill),
    ]
    if let weight { attributes.append(("font-weight", weight)) }
    if let rotation {
      attributes.append(
        ("transform", "rotate(\(SVGDocument.number(rotation)) \(SVGDocument.number(x)) \(SVGDocument.number(y)))"))
    }
    return SVGElement("text", attributes, text: content)
  }

  /// A group of elements.
  public static func group(_ children: [SVGElement], _ attributes: [(String, String)] = []) -> SVGElement {
    SVGElement("g", attributes, children: children)
  }

  /// A tooltip (`<title>`) for the enclosing element.
  public static func title(_ content: String) -> SVGElement {
    SVGElement("title", text: content)
  }

  func render(into out: inout String, depth: Int) {
    out += String(repeating: "  ", count: depth) + "<" + name
    for (key, value) in attributes { out += " \(key)=\"\(SVGDocument.escaped(value))\"" }
    if children.isEmpty && text == nil {
      out += "/>\n"
      return
    }
    out += ">"
    if let text { out += SVGDocument.escaped(text) }
    if !children.isEmpty {
      out += "\n"
      for child in children { child.render(into: &out, depth: depth + 1) }
      out += String(repeating: "  ", count: depth)
    }
    out += "</\(name)>\n"
  }
}

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
