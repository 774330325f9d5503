/// CRC-32C (Castagnoli): the checksum TFRecord files carry, as RFC 3720 (iSCSI) defines it: polynomial
/// 0x1EDC6F41 (0x82F63B78 reflected), initial value and final xor 0xFFFFFFFF, bits taken least significant first.
/// It is not zlib's `crc32`, which uses the IEEE polynomial. The check value, `checksum("123456789")`, is
/// 0xE3069283.
public enum CRC32C {
  /// The reflected polynomial.
  public static let polynomial: UInt32 = 0x82F6_3B78

  /// The byte-at-a-time lookup table: entry b is the CRC register after shifting the byte b through it.
  static let table: [UInt32] = (0..<256).map { byte in
    var crc = UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
    return crc
  }

  /// The CRC-32C of `bytes`.
  public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    table.withUnsafeBufferPointer { table in
      for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
    return crc ^ 0xFFFF_FFFF
  }

  /// The masked form TFRecord stores, so that a CRC computed over data holding CRCs stays well spread:
  /// rotate right by 15 bits, then add 0xA282EAD8 (wrapping), as TensorFlow's `crc32c::Mask`.
  public static func masked(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}
