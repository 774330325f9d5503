import Dashboard
import Foundation
import Testing

/// Compares a rendered screen with `Snapshots/<name>.txt` (characters) and `Snapshots/<name>.style.txt`
/// (styles). With TAILNAS_RECORD_SNAPSHOTS=1 the files are written instead.
func assertSnapshot(_ buffer: ScreenBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
  let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
  let files = [("txt", buffer.plainText), ("style.txt", buffer.styleText)]
  let recording = ProcessInfo.processInfo.environment["TAILNAS_RECORD_SNAPSHOTS"] == "1"
  for (suffix, actual) in files {
    let url = directory.appendingPathComponent("\(name).\(suffix)")
    if recording {
      try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try! actual.write(to: url, atomically: true, encoding: .utf8)
      continue
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "missing snapshot \(url.lastPathComponent); run with TAILNAS_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation
      )
      continue
    }
    if expected != actual {
      let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
      let detail =
        firstDifference.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
        ?? "line counts differ"
      Issue.record("snapshot \(url.lastPathComponent) differs at \(detail)", sourceLocation: sourceLocation)
    }
  }
}
