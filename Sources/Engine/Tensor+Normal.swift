import Foundation

extension Tensor {
  /// Elements per block of `fillNormal(std:seed:parallel:)`: each block draws from its own stream.
  static let normalBlock = 4096

  /// Fills with normally distributed values, std times N(0, 1), split over `parallel`'s threads.
  ///
  /// The tensor is cut into blocks of `normalBlock` elements; block j draws its uniforms from its own
  /// SplitMix64 stream (Steele, Lea and Flood 2014) started at mix(seed + j * 0x9E3779B97F4A7C15), so the values
  /// depend only on `seed`, never on the thread count. Uniforms are the top 24 bits of a draw:
  /// u1 = (bits + 1) / 2^24 in (0, 1], u2 = bits / 2^24 in [0, 1); Box-Muller then gives
  /// z0 = sqrt(-2 ln u1) cos(2 pi u2), z1 = sqrt(-2 ln u1) sin(2 pi u2). The benchmarks fill each step's
  /// random input batch this way, as PyTorch's scripts call `torch.randn` inside their timed step: on one
  /// thread through a generic generator that fill took about 1% of a training step.
  public func fillNormal(std: Float, seed: UInt64, parallel: Parallel) {
    require(view == nil, Self.readOnlyView)
    let p = data
    let count = self.count
    let blocks = (count + Self.normalBlock - 1) / Self.normalBlock
    parallel.forEachRange(blocks) { _, range in
      for block in range {
        // The stream starts at a hashed point of SplitMix64's cycle: from seed + j * gamma itself, block
        // j + 1 would draw block j's sequence shifted by one.
        var state = Self.splitMixFinalizer(seed &+ UInt64(block) &* 0x9E37_79B9_7F4A_7C15)
        @inline(__always) func uniformBits() -> UInt64 {
          state &+= 0x9E37_79B9_7F4A_7C15
          return Self.splitMixFinalizer(state) >> 40
        }
        let scale = Float(1) / Float(1 << 24)
        var i = block * Self.normalBlock
        let end = min(count, i + Self.normalBlock)
        while i < end {
          let u1 = Float(uniformBits() + 1) * scale
          let u2 = Float(uniformBits()) * scale
          let r = (-2 * log(u1)).squareRoot() * std
          let angle = 2 * Float.pi * u2
          p[i] = r * cos(angle)
          if i + 1 < end { p[i + 1] = r * sin(angle) }
          i += 2
        }
      }
    }
  }

  /// SplitMix64's output function: z = (z ^ z >> 30) * c1, z = (z ^ z >> 27) * c2, z ^ z >> 31.
  @inline(__always)
  static func splitMixFinalizer(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
