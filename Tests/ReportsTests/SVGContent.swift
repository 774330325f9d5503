import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// An SVG file read back as a tree, for tests of what the figures contain.
final class SVGContent {
  /// One element: its name, attributes, text and children.
  final class Node {
    let name: String
    let attributes: [String: String]
    var text = ""
    var children: [Node] = []

    init(name: String, attributes: [String: String]) {
      self.name = name
      self.attributes = attributes
    }

    /// This element and every element under it, in document order.
    var all: [Node] { [self] + children.flatMap(\.all) }

    subscript(_ attribute: String) -> String? { attributes[attribute] }

    /// The text of the `<title>` child (a tooltip), if any.
    var tooltip: String? { children.first { $0.name == "title" }?.text }
  }

  let root: Node

  /// Parses `url`; throws when the file is not well-formed XML.
  init(contentsOf url: URL) throws {
    final class Builder: NSObject, XMLParserDelegate {
      var stack: [Node] = [Node(name: "#document", attributes: [:])]
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        let node = Node(name: name, attributes: attributes)
        stack[stack.count - 1].children.append(node)
        stack.append(node)
      }
      func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
      }
      func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack[stack.count - 1].text += string
      }
    }
    let parser = XMLParser(data: try Data(contentsOf: url))
    let builder = Builder()
    parser.delegate = builder
    guard parser.parse() else {
      throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: url.path])
    }
    root = builder.stack[0]
  }

  /// Every element named `name`.
  func elements(_ name: String) -> [Node] { root.all.filter { $0.name == name } }

  /// The text of every `<text>` element.
  var texts: [String] { elements("text").map(\.text) }

  /// The x tick labels of the charts, chart after chart (centred 10-pixel labels).
  var xTickLabels: [String] {
    elements("text").filter { $0["text-anchor"] == "middle" && $0["font-size"] == "10" }.map(\.text)
  }

  /// The points of a polyline.
  static func points(_ polyline: Node) -> [(x: Double, y: Double)] {
    (polyline["points"] ?? "").split(separator: " ").map { pair in
      let xy = pair.split(separator: ",").map { Double($0)! }
      return (xy[0], xy[1])
    }
  }
}
