import Foundation
import RunEvents

/// Reads `events.jsonl`. A torn last line (a crash mid-write) is skipped and reported in `warnings`;
/// a bad line elsewhere or a newer schema is an error.
public struct EventLog: Sendable {
  public var events: [RunEvent]
  /// Times of the events, seconds since 1970.
  public var times: [Double]
  public var warnings: [String]

  public init(path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else { throw RunStoreError.missing(path: path) }
    var events: [RunEvent] = []
    var times: [Double] = []
    var warnings: [String] = []
    let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let lastLine = lines.lastIndex(where: { !$0.isEmpty }) ?? -1
    for (index, line) in lines.enumerated() where !line.isEmpty {
      do {
        let envelope = try EventEnvelope.decode(line: Data(line))
        events.append(envelope.event)
        times.append(envelope.time)
      } catch let error as EventDecodingError {
        throw RunStoreError.corruptEvents(path: path, line: index + 1, reason: "\(error)")
      } catch {
        guard index == lastLine else {
          throw RunStoreError.corruptEvents(path: path, line: index + 1, reason: "not a valid event: \(error)")
        }
        warnings.append("\(path):\(index + 1): ignored a torn last line (the run was interrupted while writing it)")
      }
    }
    self.events = events
    self.times = times
    self.warnings = warnings
  }
}
