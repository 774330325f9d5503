/// A small, fast, seedable random number generator (Steele, Lea and Flood's SplitMix64).
///
/// The whole generator is one 64-bit word, exposed as ``state`` so that checkpoints can store it and a
/// resumed run continues the exact same random sequence.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Hashable {
  /// The generator's complete internal state. Saving it and assigning it back later reproduces the
  /// sequence from that point on.
  public var state: UInt64

  /// Creates a generator whose sequence is fully determined by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  /// Returns the next 64 random bits and advances the state.
  @inlinable
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Derives an independent seed for a sub-stream, so that one user seed can drive several generators
  /// (e.g. one for the long-tail subset, one for the split, one per sampler) without correlation.
  public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
    var generator = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    _ = generator.next()
    return generator.next()
  }
}
