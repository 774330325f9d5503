import Foundation
import RunEvents

/// Reads `events.jsonl`. A torn last line (a crash mid-write) is skipped and reported in `warnings`. A damaged
/// line elsewhere is an error (`RunStoreError.corruptEvents`), unless the log is read to `salvage` what it can
/// (the read-only commands: runs, report, export, replay), which skip it with a warning naming file:line. A line
/// of a newer schema is always an error: this tailnas cannot know what it means.
public struct EventLog: Sendable {
  public var events: [RunEvent]
  /// Times of the events, seconds since 1970.
  public var times: [Double]
  public var warnings: [String]
  /// The numbers (from 1) of the damaged lines skipped, the torn last line included.
  public var skippedLines: [Int]

  public init(path: String, salvage: Bool = false) throws {
    guard let data = FileManager.default.contents(atPath: path) else { throw RunStoreError.missing(path: path) }
    var events: [RunEvent] = []
    var times: [Double] = []
    var warnings: [String] = []
    var skipped: [Int] = []
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let lastLine = lines.lastIndex(where: { !$0.isEmpty }) ?? -1
    let endsWithNewline = data.last == UInt8(ascii: "\n")
    for (index, line) in lines.enumerated() where !line.isEmpty {
      do {
        let envelope = try EventEnvelope.decode(line: Data(line))
        events.append(envelope.event)
        times.append(envelope.time)
      } catch let error as EventDecodingError {
        throw RunStoreError.corruptEvents(path: path, line: index + 1, reason: "\(error)")
      } catch {
        let reason = Self.describe(error)
        if index == lastLine && !endsWithNewline {
          warnings.append("\(path):\(index + 1): ignored a torn last line (the run was interrupted while writing it)")
        } else if salvage {
          warnings.append("\(path):\(index + 1): skipped a damaged line (\(reason)); the rest of the run is read")
        } else {
          throw RunStoreError.corruptEvents(path: path, line: index + 1, reason: reason)
        }
        skipped.append(index + 1)
      }
    }
    self.events = events
    self.times = times
    self.warnings = warnings
    skippedLines = skipped
  }

  /// Why a line is not an event, as a sentence without Swift's internals: the JSON is broken, a field is missing,
  /// a field has the wrong type.
  static func describe(_ error: Error) -> String {
    func field(_ path: [CodingKey], _ key: CodingKey? = nil) -> String {
      let names = (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return names.isEmpty
        ? "the line" : "'" + names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[") + "'"
    }
    guard let error = error as? DecodingError else { return "it is not an event" }
    switch error {
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "it is not valid JSON" : "\(field(context.codingPath)) holds a bad value"
    case .keyNotFound(let key, let context): return "it lacks the field \(field(context.codingPath, key))"
    case .typeMismatch(_, let context): return "\(field(context.codingPath)) has the wrong type"
    case .valueNotFound(_, let context): return "\(field(context.codingPath)) is null"
    @unknown default: return "it is not an event"
    }
  }
}
