import Architecture
import Foundation
import Reports
import RunEvents
import RunFixtures
import RunStore
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ExportFigureTests {
  typealias F = ReportFixtures

  /// Parses `data` with Foundation's XMLParser; returns the parse error, if any, and the root element.
  static func parse(_ data: Data) -> (error: String?, root: String?) {
    final class Delegate: NSObject, XMLParserDelegate {
      var root: String?
      func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
      ) {
        if root == nil { root = name }
      }
    }
    let parser = XMLParser(data: data)
    let delegate = Delegate()
    parser.delegate = delegate
    let ok = parser.parse()
    return (ok ? nil : "\(parser.parserError.map { "\($0)" } ?? "unknown") at line \(parser.lineNumber)", delegate.root)
  }

  static func rsvgConvert() -> String? {
    ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// A two-head run with a schedule edit and a run id and method full of XML-special characters.
  static func run() -> RunSummary {
    let id = "r<&>\"'-hls"
    var events = F.completeRun(
      id: id, method: "hls <&>", twoHead: true, accuracies: [0.3, 0.5, 0.45, 0.6, 0.62, 0.61, 0.7, 0.65])
    events.insert(
      .control(
        ControlApplied(
          command: .edit(ScheduleEdit(target: .mu, curve: .linear(from: 0.8, to: 0))), epoch: 2, globalStep: 5,
          previous: .cosine(from: 1, to: 0))), at: 15)
    return RunSummary(id: id, events: events)
  }

  @Test func figuresAreOnePerCurveSetAndComponent() throws {
    let names = try RunExport(run: Self.run()).figures().map(\.fileName)
    #expect(
      names == [
        "loss.svg", "accuracy.svg", "schedules.svg", "alphas-normal.svg", "alphas-reduce.svg", "alphas-instance.svg",
        "alphas-class.svg",
      ])
  }

  @Test func heatmapsShowAtMostSixEpochsIncludingFirstAndLast() {
    let export = RunExport(run: Self.run())
    #expect(export.heatmapEpochs(.normal).map(\.epoch) == [0, 1, 3, 4, 6, 7])
  }

  @Test func textIsEscaped() {
    #expect(SVGDocument.escaped("a<b & \"c\" 'd'>\u{1}") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}")
  }

  @Test func figuresAreValidXMLAndRenderWithRsvgConvert() throws {
    let directory = try temporaryDirectory()
    let files = try RunExport(run: Self.run()).writeFigures(to: directory)
    #expect(files.count == 7)
    for file in files {
      let data = try Data(contentsOf: file)
      let parsed = Self.parse(data)
      #expect(parsed.error == nil, "\(file.lastPathComponent): \(parsed.error ?? "")")
      #expect(parsed.root == "svg")
      #expect(String(decoding: data, as: UTF8.self).contains("r&lt;&amp;&gt;&quot;&apos;-hls"))
    }
    guard let rsvg = Self.rsvgConvert() else {
      print("skipping the rendering check: rsvg-convert is not installed (Debian: apt-get install librsvg2-bin)")
      return
    }
    for file in files {
      let png = file.deletingPathExtension().appendingPathExtension("png")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: rsvg)
      process.arguments = ["--format", "png", "--output", png.path, file.path]
      let errors = Pipe()
      process.standardError = errors
      try process.run()
      let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(file.lastPathComponent): \(message)")
      let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
      #expect(size > 1000, "\(png.lastPathComponent) is \(size) bytes")
      let header = try Data(contentsOf: png).prefix(8)
      #expect(header == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
  }
}
