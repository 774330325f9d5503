import Foundation

/// Version-stable sampling helpers.
///
/// The standard library's `shuffle(using:)` and `Int.random(in:using:)` may change their algorithms
/// between Swift releases; a search that must be reproducible from a seed and resumable from a saved
/// generator state uses these fixed algorithms instead.
extension RandomNumberGenerator {
  /// Returns a uniformly distributed integer in `0 ..< bound` (Lemire's multiply-shift with rejection,
  /// so there is no modulo bias). `bound` must be positive.
  @inlinable
  public mutating func uniformIndex(below bound: Int) -> Int {
    // Once a draw, in the samplers' and augmentation's loops: a precondition (gone under -Ounchecked), not `require`.
    precondition(bound > 0, "uniformIndex(below:) needs a positive bound")
    let range = UInt64(bound)
    var product = next().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold {
        product = next().multipliedFullWidth(by: range)
      }
    }
    return Int(product.high)
  }

  /// Returns a uniformly distributed `Double` in `[0, 1)` with 53 random bits.
  @inlinable
  public mutating func unitDouble() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// Returns a standard normal sample (Box-Muller; one of the pair is discarded for simplicity).
  @inlinable
  public mutating func standardNormal() -> Double {
    let u1 = 1.0 - unitDouble()  // (0, 1], safe for log
    let u2 = unitDouble()
    return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
  }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
  /// Shuffles the elements in place with the Fisher-Yates algorithm driven by ``RandomNumberGenerator/uniformIndex(below:)``.
  /// Unlike the standard library's `shuffle(using:)`, the permutation for a given generator state is
  /// fixed forever.
  @inlinable
  public mutating func stableShuffle(using generator: inout some RandomNumberGenerator) {
    let n = count
    guard n > 1 else { return }
    for offset in stride(from: n - 1, to: 0, by: -1) {
      let other = generator.uniformIndex(below: offset + 1)
      if other != offset {
        swapAt(startIndex + offset, startIndex + other)
      }
    }
  }
}
