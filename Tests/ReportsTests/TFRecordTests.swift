import Foundation
import Reports
import Testing

/// The TensorBoard file format from the bottom: CRC-32C, its TFRecord mask, protobuf varints and fields, and a
/// whole record, against vectors computed independently (RFC 3720's check values, a bitwise CRC in Python).
@Suite struct TFRecordTests {
  static func hex(_ text: String) -> [UInt8] {
    stride(from: 0, to: text.count, by: 2).map { offset in
      let start = text.index(text.startIndex, offsetBy: offset)
      return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
    }
  }

  @Test func crc32cCheckValues() {
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8]()) == 0)
    // RFC 3720 B.4: 32 zero bytes, 32 bytes of 0xFF, the bytes 0...31.
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map(UInt8.init)) == 0x46DD_794E)
  }

  @Test func crc32cIsNotZlibsCRC32() {
    // zlib's crc32("123456789") is 0xCBF43926 (the IEEE polynomial).
    #expect(CRC32C.checksum(Array("123456789".utf8)) != 0xCBF4_3926)
  }

  @Test func maskedCRCRotatesAndAdds() {
    #expect(CRC32C.masked(0) == 0xA282_EAD8)
    #expect(CRC32C.masked(0xE306_9283) == 0xC78A_B0E5)
    // The rotation wraps: the low 15 bits move to the top.
    #expect(CRC32C.masked(0x0000_7FFF) == (0xFFFE_0000 &+ 0xA282_EAD8))
  }

  @Test func varints() {
    func varint(_ value: UInt64) -> [UInt8] {
      var writer = ProtobufWriter()
      writer.appendVarint(value)
      return writer.bytes
    }
    #expect(varint(0) == [0])
    #expect(varint(1) == [1])
    #expect(varint(127) == [0x7F])
    #expect(varint(128) == [0x80, 0x01])
    #expect(varint(300) == [0xAC, 0x02])
    #expect(varint(UInt64.max) == [UInt8](repeating: 0xFF, count: 9) + [0x01])
  }

  @Test func protobufFields() {
    var writer = ProtobufWriter()
    writer.appendInt64(2, 150)
    writer.appendInt64(2, -1)
    writer.appendString(1, "hi")
    writer.appendFloat(2, 0.25)
    writer.appendDouble(1, 1)
    #expect(
      writer.bytes
        == [0x10, 0x96, 0x01] + [0x10] + [UInt8](repeating: 0xFF, count: 9) + [0x01] + [0x0A, 0x02, 0x68, 0x69]
        + [0x15, 0x00, 0x00, 0x80, 0x3E] + [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
  }

  @Test func scalarEventEncoding() {
    let event = TensorBoardEvent(
      wallTime: 1_700_000_000.5, step: 3, content: .scalars([.init(tag: "loss/train", value: 0.25)]))
    #expect(event.encoded == Self.hex("0900002040fc54d94110032a130a110a0a6c6f73732f747261696e150000803e"))
  }

  @Test func wholeRecords() {
    let scalar = TensorBoardEvent(
      wallTime: 1_700_000_000.5, step: 3, content: .scalars([.init(tag: "loss/train", value: 0.25)]))
    #expect(
      TFRecord.record(scalar.encoded)
        == Self.hex(
          "200000000000000029eda9500900002040fc54d94110032a130a110a0a6c6f73732f747261696e150000803ef9e722c0"))
    let version = TensorBoardEvent(wallTime: 1_700_000_000.5, step: 0, content: .fileVersion("brain.Event:2"))
    #expect(
      TFRecord.record(version.encoded)
        == Self.hex("1800000000000000a37f4b220900002040fc54d9411a0d627261696e2e4576656e743a322b353110"))
    #expect(TFRecord.file([version.encoded, scalar.encoded]).count == 40 + 48)
  }
}
