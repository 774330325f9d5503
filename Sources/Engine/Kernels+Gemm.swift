/// A register-blocked matrix product for the small 1x1 convolutions of a search cell.

/// C (= or +=) A B for small row-major matrices: A [m, k] (row pitch lda), B [k, n] (pitch ldb),
/// C [m, n] (pitch ldc). Four rows of C times eight columns are kept in registers (16 SSE registers); the 1x1
/// convolutions of a search cell (8-64 channels) are far too small for a BLAS call to pay off.
func smallGemm(
  m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  var i = 0
  while i + 4 <= m {
    let a0 = a + i * lda
    let a1 = a0 + lda
    let a2 = a1 + lda
    let a3 = a2 + lda
    var j = 0
    while j + 8 <= n {
      var c0 = SIMD8<Float>()
      var c1 = c0
      var c2 = c0
      var c3 = c0
      for p in 0..<k {
        let bv = load8(b + p * ldb + j)
        c0 = madd(c0, SIMD8(repeating: a0[p]), bv)
        c1 = madd(c1, SIMD8(repeating: a1[p]), bv)
        c2 = madd(c2, SIMD8(repeating: a2[p]), bv)
        c3 = madd(c3, SIMD8(repeating: a3[p]), bv)
      }
      let cp = c + i * ldc + j
      if accumulate {
        c0 += load8(cp)
        c1 += load8(cp + ldc)
        c2 += load8(cp + 2 * ldc)
        c3 += load8(cp + 3 * ldc)
      }
      store8(c0, cp)
      store8(c1, cp + ldc)
      store8(c2, cp + 2 * ldc)
      store8(c3, cp + 3 * ldc)
      j += 8
    }
    if j < n {
      smallGemmEdge(
        rows: i..<(i + 4), columns: j..<n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
    }
    i += 4
  }
  if i < m {
    smallGemmEdge(rows: i..<m, columns: 0..<n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
  }
}

/// The leftover rows or columns of `smallGemm`, one row at a time, eight columns per vector.
private func smallGemmEdge(
  rows: Range<Int>, columns: Range<Int>, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
  ldb: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  for i in rows {
    let ar = a + i * lda
    let cr = c + i * ldc
    var j = columns.lowerBound
    while j + 8 <= columns.upperBound {
      var acc = SIMD8<Float>()
      for p in 0..<k { acc = madd(acc, SIMD8(repeating: ar[p]), load8(b + p * ldb + j)) }
      if accumulate { acc += load8(cr + j) }
      store8(acc, cr + j)
      j += 8
    }
    while j < columns.upperBound {
      var s: Float = 0
      for p in 0..<k { s += ar[p] * b[p * ldb + j] }
      cr[j] = accumulate ? cr[j] + s : s
      j += 1
    }
  }
}
