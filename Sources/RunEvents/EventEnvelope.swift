import Foundation

/// One line of `events.jsonl`: `{"schema": 1, "time": ..., "event": {...}}`.
public struct EventEnvelope: Codable, Sendable, Equatable {
  public var schema: Int
  /// Seconds since 1970.
  public var time: Double
  public var event: RunEvent

  public init(event: RunEvent, time: Double = Date().timeIntervalSince1970, schema: Int = eventSchemaVersion) {
    self.schema = schema
    self.time = time
    self.event = event
  }

  /// The JSON line without its newline.
  public func jsonLine() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }

  /// Parses one line; a line from a newer schema is an error that says so.
  public static func decode(line: Data) throws -> EventEnvelope {
    struct SchemaOnly: Decodable { var schema: Int }
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let schema = try decoder.decode(SchemaOnly.self, from: line).schema
    guard schema <= eventSchemaVersion else { throw EventDecodingError.newerSchema(schema) }
    return try decoder.decode(EventEnvelope.self, from: line)
  }
}

/// Problems reading events.
public enum EventDecodingError: Error, CustomStringConvertible, Equatable {
  case newerSchema(Int)

  public var description: String {
    switch self {
    case .newerSchema(let v):
      "events were written with schema version \(v), newer than this tailnas (\(eventSchemaVersion)); upgrade tailnas"
    }
  }
}
