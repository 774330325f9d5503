/// A minimal Protocol Buffers encoder for the few messages tailnas writes (TensorBoard's `Event` and `Summary`):
/// fields in the wire format of https://protobuf.dev/programming-guides/encoding/, each a key (field number
/// shifted left by 3, or-ed with the wire type) as a varint, then the value: varint (type 0) for integers,
/// 8 bytes little-endian (type 1) for doubles, 4 bytes little-endian (type 5) for floats, and a varint length
/// followed by the bytes (type 2) for strings and embedded messages. Fields are written in the order called.
public struct ProtobufWriter: Sendable, Equatable {
  /// The wire types used.
  public enum WireType: UInt64, Sendable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
  }

  /// The encoded message so far.
  public private(set) var bytes: [UInt8] = []

  public init() {}

  /// Appends `value` as a base-128 varint: seven bits at a time, least significant group first, the high bit
  /// set on every byte but the last.
  public mutating func appendVarint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  /// Appends the key of field `number` with `type`.
  public mutating func appendKey(_ number: Int, _ type: WireType) {
    guard number > 0 && number < 1 << 29 else { fatalError("protobuf field number \(number) is outside 1...2^29-1") }
    appendVarint(UInt64(number) << 3 | type.rawValue)
  }

  /// An `int64` field: a varint of the two's complement (a negative value takes ten bytes).
  public mutating func appendInt64(_ number: Int, _ value: Int64) {
    appendKey(number, .varint)
    appendVarint(UInt64(bitPattern: value))
  }

  /// A `double` field.
  public mutating func appendDouble(_ number: Int, _ value: Double) {
    appendKey(number, .fixed64)
    appendLittleEndian(value.bitPattern)
  }

  /// A `float` field.
  public mutating func appendFloat(_ number: Int, _ value: Float) {
    appendKey(number, .fixed32)
    appendLittleEndian(value.bitPattern)
  }

  /// A `string` field, UTF-8.
  public mutating func appendString(_ number: Int, _ value: String) {
    appendBytes(number, Array(value.utf8))
  }

  /// A `bytes` field or an embedded message already encoded.
  public mutating func appendBytes(_ number: Int, _ value: [UInt8]) {
    appendKey(number, .lengthDelimited)
    appendVarint(UInt64(value.count))
    bytes += value
  }

  /// An embedded message field.
  public mutating func appendMessage(_ number: Int, _ message: ProtobufWriter) {
    appendBytes(number, message.bytes)
  }

  private mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
  }
}
