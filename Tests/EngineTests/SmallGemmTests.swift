import Datasets
import Testing

@testable import Engine

/// `smallGemm` and `smallGemmTransposedB` against a plain triple loop in Double, on shapes that reach every
/// register block: eight-row blocks (AVX-512 builds), four-row blocks, leftover rows, two wide vectors of
/// columns, one 8-lane vector, scalar columns, rows shorter than a vector (the narrow path), padded pitches,
/// and accumulation into C.
@Suite struct SmallGemmTests {
  static func random(_ count: Int, _ g: inout SplitMix64) -> [Float] {
    (0..<count).map { _ in Float.random(in: -1...1, using: &g) }
  }

  @Test(arguments: [
    (16, 1024, 16), (8, 64, 64), (12, 48, 24), (10, 40, 16), (13, 37, 5), (24, 96, 32), (3, 17, 9), (16, 4, 32),
    (20, 33, 16),
  ])
  func matchesNaiveProduct(m: Int, n: Int, k: Int) {
    var g = SplitMix64(seed: UInt64(m * 1000 + n * 10 + k))
    let (lda, ldb, ldc) = (k + 3, n + 5, n + 7)
    let a = Self.random(m * lda, &g)
    let b = Self.random(k * ldb, &g)
    for accumulate in [false, true] {
      let start = Self.random(m * ldc, &g)
      var c = start
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          c.withUnsafeMutableBufferPointer { cp in
            smallGemm(
              m: m, n: n, k: k, ap.baseAddress!, lda: lda, bp.baseAddress!, ldb: ldb, cp.baseAddress!, ldc: ldc,
              accumulate: accumulate)
          }
        }
      }
      var worst = 0.0
      for i in 0..<m {
        for j in 0..<n {
          var s = accumulate ? Double(start[i * ldc + j]) : 0
          for p in 0..<k { s += Double(a[i * lda + p]) * Double(b[p * ldb + j]) }
          worst = max(worst, abs(s - Double(c[i * ldc + j])))
        }
        // Columns past n are not C's: they keep their values.
        for j in n..<ldc { #expect(c[i * ldc + j] == start[i * ldc + j]) }
      }
      #expect(worst < 1e-4, "m \(m) n \(n) k \(k) accumulate \(accumulate): off by \(worst)")
    }
  }

  @Test(arguments: [
    (16, 16, 1024, 1), (8, 12, 64, 3), (5, 7, 40, 2), (16, 8, 4, 2), (12, 20, 35, 1), (16, 16, 1024, 2),
    (32, 64, 256, 3), (8, 22, 96, 2), (4, 256, 48, 2),
  ])
  func transposedMatchesNaiveProduct(m: Int, n: Int, k: Int, images: Int) {
    var g = SplitMix64(seed: UInt64(m * 977 + n * 31 + k + images))
    let (lda, ldb, ldc) = (k + 1, k + 16, n + 2)
    let (aStride, bStride) = (m * lda + 3, n * ldb + 5)
    let a = Self.random(images * aStride, &g)
    let b = Self.random(images * bStride, &g)
    let start = Self.random(m * ldc, &g)
    var c = start
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          smallGemmTransposedB(
            m: m, n: n, k: k, images: images, ap.baseAddress!, lda: lda, aImageStride: aStride, bp.baseAddress!,
            ldb: ldb, bImageStride: bStride, cp.baseAddress!, ldc: ldc)
        }
      }
    }
    var worst = 0.0
    for i in 0..<m {
      for j in 0..<n {
        var s = Double(start[i * ldc + j])
        for image in 0..<images {
          for p in 0..<k {
            s += Double(a[image * aStride + i * lda + p]) * Double(b[image * bStride + j * ldb + p])
          }
        }
        worst = max(worst, abs(s - Double(c[i * ldc + j])))
      }
    }
    #expect(worst < 1e-3, "m \(m) n \(n) k \(k) images \(images): off by \(worst)")
  }
}
