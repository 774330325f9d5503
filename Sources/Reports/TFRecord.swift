/// TFRecord framing, the container of TensorFlow's record files and TensorBoard's event files
/// (tensorflow/core/lib/io/record_writer.cc): each record is
///
///     uint64 length            little-endian, the number of data bytes
///     uint32 masked_crc32c(length bytes)
///     byte   data[length]
///     uint32 masked_crc32c(data)
///
/// with `CRC32C.masked` applied to each CRC-32C, stored little-endian.
public enum TFRecord {
  /// `data` framed as one record.
  public static func record(_ data: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(data.count + 16)
    let length = littleEndian(UInt64(data.count))
    out += length
    out += littleEndian(CRC32C.masked(CRC32C.checksum(length)))
    out += data
    out += littleEndian(CRC32C.masked(CRC32C.checksum(data)))
    return out
  }

  /// `records` framed one after another: a whole file.
  public static func file(_ records: [[UInt8]]) -> [UInt8] {
    records.flatMap(record)
  }

  static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
