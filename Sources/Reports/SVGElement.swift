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
