import Foundation
import Reports

/// Reads back the event files tailnas writes, independently of the writer: TFRecord framing with both CRCs
/// checked, and the `Event`, `Summary` and `Value` fields tailnas uses (event.proto, summary.proto).
struct TensorBoardFileReader {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// One decoded event: wall time, step, and either the file version or the scalars by tag.
  struct Event: Equatable {
    var wallTime = 0.0
    var step: Int64 = 0
    var fileVersion: String?
    var scalars: [(tag: String, value: Float)] = []

    static func == (a: Event, b: Event) -> Bool {
      a.wallTime == b.wallTime && a.step == b.step && a.fileVersion == b.fileVersion
        && a.scalars.map(\.tag) == b.scalars.map(\.tag) && a.scalars.map(\.value) == b.scalars.map(\.value)
    }
  }

  /// The records of `bytes`, their CRCs checked.
  static func records(_ bytes: [UInt8]) throws -> [[UInt8]] {
    var records: [[UInt8]] = []
    var offset = 0
    func uint<T: FixedWidthInteger>(_: T.Type, at position: Int) throws -> T {
      guard position + MemoryLayout<T>.size <= bytes.count else {
        throw Failure(description: "truncated at \(position)")
      }
      return bytes[position..<position + MemoryLayout<T>.size].reversed().reduce(0) { $0 << 8 | T($1) }
    }
    while offset < bytes.count {
      let length = Int(try uint(UInt64.self, at: offset))
      let lengthCRC = try uint(UInt32.self, at: offset + 8)
      guard lengthCRC == CRC32C.masked(CRC32C.checksum(bytes[offset..<offset + 8])) else {
        throw Failure(description: "bad length CRC at \(offset)")
      }
      let start = offset + 12
      guard start + length + 4 <= bytes.count else { throw Failure(description: "truncated record at \(offset)") }
      let data = Array(bytes[start..<start + length])
      guard try uint(UInt32.self, at: start + length) == CRC32C.masked(CRC32C.checksum(data)) else {
        throw Failure(description: "bad data CRC at \(offset)")
      }
      records.append(data)
      offset = start + length + 4
    }
    return records
  }

  /// The fields of a message: (number, wire type, varint value or payload bytes).
  static func fields(_ bytes: [UInt8]) throws -> [(number: Int, varint: UInt64, payload: [UInt8])] {
    var fields: [(Int, UInt64, [UInt8])] = []
    var offset = 0
    func varint() throws -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard offset < bytes.count else { throw Failure(description: "truncated varint") }
        let byte = bytes[offset]
        offset += 1
        value |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return value }
        shift += 7
      }
    }
    func take(_ count: Int) throws -> [UInt8] {
      guard offset + count <= bytes.count else { throw Failure(description: "truncated field") }
      defer { offset += count }
      return Array(bytes[offset..<offset + count])
    }
    while offset < bytes.count {
      let key = try varint()
      switch key & 7 {
      case 0: fields.append((Int(key >> 3), try varint(), []))
      case 1: fields.append((Int(key >> 3), 0, try take(8)))
      case 2: fields.append((Int(key >> 3), 0, try take(Int(try varint()))))
      case 5: fields.append((Int(key >> 3), 0, try take(4)))
      default: throw Failure(description: "unexpected wire type \(key & 7)")
      }
    }
    return fields
  }

  static func littleEndian<T: FixedWidthInteger>(_ bytes: [UInt8]) -> T {
    bytes.reversed().reduce(0) { $0 << 8 | T($1) }
  }

  /// The events of an event file.
  static func events(_ bytes: [UInt8]) throws -> [Event] {
    try records(bytes).map { record in
      var event = Event()
      for field in try fields(record) {
        switch field.number {
        case 1: event.wallTime = Double(bitPattern: littleEndian(field.payload))
        case 2: event.step = Int64(bitPattern: field.varint)
        case 3: event.fileVersion = String(decoding: field.payload, as: UTF8.self)
        case 5:
          for value in try fields(field.payload) where value.number == 1 {
            var tag = ""
            var number = Float.nan
            for part in try fields(value.payload) {
              if part.number == 1 { tag = String(decoding: part.payload, as: UTF8.self) }
              if part.number == 2 { number = Float(bitPattern: littleEndian(part.payload)) }
            }
            event.scalars.append((tag, number))
          }
        default: throw Failure(description: "unexpected event field \(field.number)")
        }
      }
      return event
    }
  }
}
