import Engine

/// A 64-bit FNV-1a hash of the bits of tensors' values in order: equal on two processes exactly when
/// (barring collisions) their parameters are bitwise equal.
public enum ParameterChecksum {
  /// The hash of `tensors`' values, in order.
  public static func of(_ tensors: [Tensor]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for tensor in tensors {
      for value in tensor.buffer {
        var bits = value.bitPattern
        for _ in 0..<4 {
          hash = (hash ^ UInt64(bits & 0xff)) &* 0x0000_0100_0000_01b3
          bits >>= 8
        }
      }
    }
    return hash
  }
}
