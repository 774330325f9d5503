import Architecture
import Dispatch
import Foundation

/// A derived DARTS cell as a Graphviz diagram, drawn as DARTS' `visualize.py` draws one: a left-to-right digraph
/// with the inputs `c_{k-2}` and `c_{k-1}` (filled darkseagreen2), the intermediate nodes `0`, `1`, ... (state
/// i + 2 is node i; lightblue), the output `c_{k}` (palegoldenrod), an edge labelled with its op name for every
/// kept edge, and an edge into `c_{k}` from every state of the genotype's `concat` (DARTS draws all intermediate
/// nodes; this draws what the genotype says). The title is the graph's label, at the top.
///
/// `dot` is the DOT text; `svg()` runs Graphviz's `dot -Tsvg` on it. A two-head genotype gives four diagrams, one per
/// cell (`diagrams(for:)`).
public struct CellDiagram: Sendable, Equatable {
  /// The cell drawn.
  public var cell: CellGenotype
  /// The graph's label, e.g. `backbone normal cell`; empty for none.
  public var title: String

  /// The diagram of `cell` labelled `title`.
  public init(cell: CellGenotype, title: String) {
    self.cell = cell
    self.title = title
  }

  /// One diagram per cell of `genotype` (normal, reduction, then the instance and class heads of a two-head
  /// genotype), titled with the component's title.
  public static func diagrams(for genotype: Genotype) -> [(component: ArchitectureComponent, diagram: CellDiagram)] {
    genotype.cells.map { ($0.component, CellDiagram(cell: $0.cell, title: $0.component.title)) }
  }

  /// The name of the output node.

  /// The DOT text, laid out as DARTS' `visualize.py` writes it (graph, node and edge defaults, then the inputs, the
  /// nodes, the edges in genotype order, the output and the concat edges). Never traps, whatever the cell holds.
  public var dot: String {
    var lines = ["digraph {"]
    if !title.isEmpty {
      lines.append("\tgraph [label=\(Self.id(title)) labelloc=t fontname=times fontsize=24]")
    }
    lines.append(
      "\tnode [align=center fontname=times fontsize=20 height=0.5 penwidth=2 shape=rect style=filled width=0.5]")
    lines.append("\tedge [fontname=times fontsize=20]")
    lines.append("\trankdir=LR")
    lines.append("\t\(Self.id(CellTopology.stateName(0))) [fillcolor=darkseagreen2]")
    lines.append("\t\(Self.id(CellTopology.stateName(1))) [fillcolor=darkseagreen2]")
    let steps = (cell.edges.count + CellGenotype.edgesPerNode - 1) / CellGenotype.edgesPerNode
    for node in 0..<steps { lines.append("\t\(Self.id(CellTopology.stateName(node + 2))) [fillcolor=lightblue]") }
    for (index, edge) in cell.edges.enumerated() {
      let from = Self.id(CellTopology.stateName(edge.input))
      let to = Self.id(CellTopology.stateName(cell.node(ofEdge: index)))
      lines.append("\t\(from) -> \(to) [label=\(Self.id(edge.op.name)) fillcolor=gray]")
    }
    lines.append("\t\(Self.id(CellTopology.outputName)) [fillcolor=palegoldenrod]")
    var seen = Set<Int>()
    for state in cell.concat where seen.insert(state).inserted {
      lines.append(
        "\t\(Self.id(CellTopology.stateName(state))) -> \(Self.id(CellTopology.outputName)) [fillcolor=gray]")
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// The diagram as an SVG document, rendered by Graphviz (`dot -Tsvg`).
  public func svg(using graphviz: Graphviz = Graphviz()) throws -> String {
    let data = try graphviz.render(dot, format: "svg")
    return String(decoding: data, as: UTF8.self)
  }

  private static let keywords: Set<String> = ["node", "edge", "graph", "digraph", "subgraph", "strict"]

  /// `text` as a DOT identifier: bare when it is a plain name or a number (as Python's graphviz writes them),
  /// else quoted with `"` and `\` escaped and line breaks as `\n`.
  static func id(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    func isLetter(_ s: Unicode.Scalar) -> Bool { s == "_" || (s.isASCII && s.properties.isAlphabetic) }
    func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }
    let isName = scalars.first.map(isLetter) == true && scalars.allSatisfy { isLetter($0) || isDigit($0) }
    let isNumber = !scalars.isEmpty && scalars.allSatisfy(isDigit)
    if (isName || isNumber) && !keywords.contains(text.lowercased()) { return text }
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": break
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

/// Why Graphviz could not render a diagram.
public enum GraphvizError: Error, CustomStringConvertible, Equatable {
  /// No `dot` executable was found; `searched` lists where.
  case notInstalled(searched: [String])
  /// `dot` could not be started.
  case launchFailed(path: String, reason: String)
  /// `dot` exited unsuccessfully; `message` is what it wrote to standard error.
  case failed(status: Int32, message: String)

  public var description: String {
    switch self {
    case .notInstalled(let searched):
      "Graphviz is not installed: no `dot` executable on the PATH (searched \(searched.joined(separator: ":"))); "
        + "install Debian's graphviz package (apt-get install graphviz) to draw cell diagrams"
    case .launchFailed(let path, let reason): "cannot run Graphviz's \(path): \(reason)"
    case .failed(let status, let message):
      "Graphviz's dot failed (exit status \(status))" + (message.isEmpty ? "" : ": \(message)")
    }
  }
}

/// Runs Graphviz's `dot` (directly, without a shell) to render DOT text.
public struct Graphviz: Sendable {
  /// The `dot` executable used; nil when it was not found.
  public var executable: String?
  /// The directories searched for `dot` (the PATH, then the usual install locations).
  public var searched: [String]

  /// Graphviz at `executable`, or the first `dot` on the PATH of `environment` (then in /usr/bin, /usr/local/bin
  /// and /opt/homebrew/bin).
  public init(executable: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
    var directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    for fallback in ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"] where !directories.contains(fallback) {
      directories.append(fallback)
    }
    searched = directories
    self.executable =
      executable
      ?? directories.map { URL(fileURLWithPath: $0).appendingPathComponent("dot").path }.first {
        FileManager.default.isExecutableFile(atPath: $0)
      }
  }

  /// Whether a `dot` executable was found.
  public var isAvailable: Bool { executable != nil }

  /// Runs `dot -T<format>` on `dot` text and returns what it writes to standard output. The text goes through a
  /// temporary file, so a `dot` that stops reading early cannot break a pipe under the caller.
  public func render(_ dot: String, format: String) throws -> Data {
    guard let executable else { throw GraphvizError.notInstalled(searched: searched) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("tailnas-\(UUID().uuidString).dot")
    do {
      try Data(dot.utf8).write(to: file)
    } catch {
      throw GraphvizError.launchFailed(path: executable, reason: "cannot write \(file.path): \(error)")
    }
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["-T\(format)", file.path]
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = errors
    do {
      try process.run()
    } catch {
      throw GraphvizError.launchFailed(path: executable, reason: "\(error)")
    }
    // Drain standard error on its own thread, so neither pipe fills up while this one reads standard output.
    let group = DispatchGroup()
    let message = DataBox()
    let errorHandle = errors.fileHandleForReading
    DispatchQueue.global().async(group: group) {
      message.set(errorHandle.readDataToEndOfFile())
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let detail = String(decoding: message.get(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      throw GraphvizError.failed(status: process.terminationStatus, message: detail)
    }
    return data
  }
}

/// A value handed from a worker thread to the caller.
private final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()

  func set(_ value: Data) {
    lock.lock()
    data = value
    lock.unlock()
  }

  func get() -> Data {
    lock.lock()
    defer { lock.unlock() }
    return data
  }
}
