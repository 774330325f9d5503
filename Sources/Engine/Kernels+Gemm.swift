/// A register-blocked matrix product for the small 1x1 convolutions of a search cell.

/// C (= or +=) A B for small row-major matrices: A [m, k] (row pitch lda), B [k, n] (pitch ldb),
/// C [m, n] (pitch ldc). Four rows of C times two wide vectors of columns are kept in registers (eight
/// independent multiply-add chains, six loads per eight multiply-adds), then four rows times one vector;
/// with AVX-512's 32 registers, eight rows times two vectors first (sixteen chains, ten loads per sixteen).
/// The 1x1 convolutions of a search cell (8-64 channels) are far too small for a BLAS call to pay off.
func smallGemm(
  m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  let lanes = WideVector.scalarCount
  if n < 8 && k >= lanes {
    smallGemmNarrow(m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
    return
  }
  var i = 0
  #if TAILNAS_AVX512
    // 32 vector registers: eight rows share each load of B (sixteen accumulators), so B, the operand that
    // streams from L2, is read m / 8 times instead of m / 4.
    while i + 8 <= m && n >= 2 * lanes {
      let j = smallGemmEightRows(i: i, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
      if j < n {
        smallGemmFourRows(
          i: i, columns: j, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
        smallGemmFourRows(
          i: i + 4, columns: j, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
      }
      i += 8
    }
  #endif
  while i + 4 <= m {
    smallGemmFourRows(i: i, columns: 0, n: n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
    i += 4
  }
  if i < m {
    smallGemmEdge(rows: i..<m, columns: 0..<n, k: k, a, lda: lda, b, ldb: ldb, c, ldc: ldc, accumulate: accumulate)
  }
}

/// Rows i..<i+4 of `smallGemm` from column `columns` on: two wide vectors of columns at a time, then one
/// 8-lane vector, then `smallGemmEdge`.
@inline(__always)
private func smallGemmFourRows(
  i: Int, columns: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>,
  ldb: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  let lanes = WideVector.scalarCount
  let a0 = a + i * lda
  let a1 = a0 + lda
  let a2 = a1 + lda
  let a3 = a2 + lda
  var j = columns
  while j + 2 * lanes <= n {
    var c00 = WideVector()
    var c01 = c00
    var c10 = c00
    var c11 = c00
    var c20 = c00
    var c21 = c00
    var c30 = c00
    var c31 = c00
    for p in 0..<k {
      let b0 = loadWide(b + p * ldb + j)
      let b1 = loadWide(b + p * ldb + j + lanes)
      var v = WideVector(repeating: a0[p])
      c00 = madd(c00, v, b0)
      c01 = madd(c01, v, b1)
      v = WideVector(repeating: a1[p])
      c10 = madd(c10, v, b0)
      c11 = madd(c11, v, b1)
      v = WideVector(repeating: a2[p])
      c20 = madd(c20, v, b0)
      c21 = madd(c21, v, b1)
      v = WideVector(repeating: a3[p])
      c30 = madd(c30, v, b0)
      c31 = madd(c31, v, b1)
    }
    let cp = c + i * ldc + j
    if accumulate {
      c00 += loadWide(cp)
      c01 += loadWide(cp + lanes)
      c10 += loadWide(cp + ldc)
      c11 += loadWide(cp + ldc + lanes)
      c20 += loadWide(cp + 2 * ldc)
      c21 += loadWide(cp + 2 * ldc + lanes)
      c30 += loadWide(cp + 3 * ldc)
      c31 += loadWide(cp + 3 * ldc + lanes)
    }
    storeWide(c00, cp)
    storeWide(c01, cp + lanes)
    storeWide(c10, cp + ldc)
    storeWide(c11, cp + ldc + lanes)
    storeWide(c20, cp + 2 * ldc)
    storeWide(c21, cp + 2 * ldc + lanes)
    storeWide(c30, cp + 3 * ldc)
    storeWide(c31, cp + 3 * ldc + lanes)
    j += 2 * lanes
  }
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
}

#if TAILNAS_AVX512
  /// Rows i..<i+8 of `smallGemm`, two wide vectors of columns at a time (sixteen accumulators, two loads of
  /// B and eight broadcasts of A per sixteen multiply-adds); returns the first column left over.
  @inline(__always)
  private func smallGemmEightRows(
    i: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
  ) -> Int {
    let lanes = WideVector.scalarCount
    let a0 = a + i * lda
    var j = 0
    while j + 2 * lanes <= n {
      var acc = (
        WideVector(), WideVector(), WideVector(), WideVector(), WideVector(), WideVector(), WideVector(),
        WideVector(), WideVector(), WideVector(), WideVector(), WideVector(), WideVector(), WideVector(),
        WideVector(), WideVector()
      )
      for p in 0..<k {
        let b0 = loadWide(b + p * ldb + j)
        let b1 = loadWide(b + p * ldb + j + lanes)
        var v = WideVector(repeating: a0[p])
        acc.0 = madd(acc.0, v, b0)
        acc.1 = madd(acc.1, v, b1)
        v = WideVector(repeating: a0[lda + p])
        acc.2 = madd(acc.2, v, b0)
        acc.3 = madd(acc.3, v, b1)
        v = WideVector(repeating: a0[2 * lda + p])
        acc.4 = madd(acc.4, v, b0)
        acc.5 = madd(acc.5, v, b1)
        v = WideVector(repeating: a0[3 * lda + p])
        acc.6 = madd(acc.6, v, b0)
        acc.7 = madd(acc.7, v, b1)
        v = WideVector(repeating: a0[4 * lda + p])
        acc.8 = madd(acc.8, v, b0)
        acc.9 = madd(acc.9, v, b1)
        v = WideVector(repeating: a0[5 * lda + p])
        acc.10 = madd(acc.10, v, b0)
        acc.11 = madd(acc.11, v, b1)
        v = WideVector(repeating: a0[6 * lda + p])
        acc.12 = madd(acc.12, v, b0)
        acc.13 = madd(acc.13, v, b1)
        v = WideVector(repeating: a0[7 * lda + p])
        acc.14 = madd(acc.14, v, b0)
        acc.15 = madd(acc.15, v, b1)
      }
      let cp = c + i * ldc + j
      @inline(__always) func put(_ v: WideVector, _ row: Int, _ half: Int) {
        let q = cp + row * ldc + half * lanes
        storeWide(accumulate ? v + loadWide(q) : v, q)
      }
      put(acc.0, 0, 0)
      put(acc.1, 0, 1)
      put(acc.2, 1, 0)
      put(acc.3, 1, 1)
      put(acc.4, 2, 0)
      put(acc.5, 2, 1)
      put(acc.6, 3, 0)
      put(acc.7, 3, 1)
      put(acc.8, 4, 0)
      put(acc.9, 4, 1)
      put(acc.10, 5, 0)
      put(acc.11, 5, 1)
      put(acc.12, 6, 0)
      put(acc.13, 6, 1)
      put(acc.14, 7, 0)
      put(acc.15, 7, 1)
      j += 2 * lanes
    }
    return j
  }
#endif

/// `smallGemm` for fewer than eight columns (a 1x1 convolution on 2x2 planes, the auxiliary head's):
/// no vector of columns fits, so B is transposed into a [n, k] scratch and each C entry is a dot product
/// of two contiguous rows of length k, `smallGemmTransposedB`'s form (C = A (B^T)^T).
private func smallGemmNarrow(
  m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  _ c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
) {
  withUnsafeTemporaryAllocation(of: Float.self, capacity: n * k) { buffer in
    let bt = buffer.baseAddress!
    for p in 0..<k { for j in 0..<n { bt[j * k + p] = b[p * ldb + j] } }
    if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
    smallGemmTransposedB(m: m, n: n, k: k, a, lda: lda, bt, ldb: k, c, ldc: ldc)
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

/// The row pitch, in floats, for a scratch matrix with `columns` columns that a `smallGemm` reads as B:
/// rows a multiple of 2 KB apart put the k rows of a column block in the same few L1 sets (4 KB aliasing)
/// and evict each other on every step of the k loop, which more than halves the kernel's speed at 32 x 32
/// planes (1024 columns); one extra vector per row spreads them over the sets.
func gemmPitch(_ columns: Int) -> Int {
  columns % 512 == 0 ? columns + 16 : columns
}

/// Copies a rows x columns matrix from src (row pitch srcPitch) to dst (row pitch dstPitch).
@inline(__always)
func copyMatrix(
  _ src: UnsafePointer<Float>, srcPitch: Int, into dst: UnsafeMutablePointer<Float>, dstPitch: Int, rows: Int,
  columns: Int
) {
  for i in 0..<rows { vectorCopy(src + i * srcPitch, dst + i * dstPitch, columns) }
}

/// C += sum over `images` of A_b B_b^T for small row-major matrices: A_b [m, k] (row pitch lda, image b at
/// a + b * aImageStride), B_b [n, k] (pitch ldb, at b + b * bImageStride), C [m, n] (pitch ldc). Each C
/// entry is a sum of dot products of two rows; four rows of A and two of B share their loads (eight
/// wide-vector accumulators, six loads per eight multiply-adds), and the accumulators run over every
/// image before their lanes are added, so a short k (an 8x8 plane is 64) does not pay one horizontal
/// sum per image. This is the 1x1 convolution's weight gradient dW = sum_images dY X^T.
func smallGemmTransposedB(
  m: Int, n: Int, k: Int, images: Int = 1, _ a: UnsafePointer<Float>, lda: Int, aImageStride: Int = 0,
  _ b: UnsafePointer<Float>, ldb: Int, bImageStride: Int = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let lanes = WideVector.scalarCount
  if k < lanes && n >= 2 * lanes {
    smallGemmTransposedBShort(
      m: m, n: n, k: k, images: images, a, lda: lda, aImageStride: aImageStride, b, ldb: ldb,
      bImageStride: bImageStride, c, ldc: ldc)
    return
  }
  let vectorEnd = k / lanes * lanes
  var i = 0
  while i + 4 <= m {
    var j = 0
    if vectorEnd == k {
      if lanes > 8 {
        while j + 4 <= n {
          smallGemmTransposedB4x4(
            i: i, j: j, k: k, images: images, a, lda: lda, aImageStride: aImageStride, b, ldb: ldb,
            bImageStride: bImageStride, c, ldc: ldc)
          j += 4
        }
      } else {
        // 16 vector registers: sixteen accumulators would spill, twelve fit; four columns left go to
        // two 4 x 2 blocks rather than a 4 x 3 and a single column.
        while n - j >= 3 && n - j != 4 {
          smallGemmTransposedB4x3(
            i: i, j: j, k: k, images: images, a, lda: lda, aImageStride: aImageStride, b, ldb: ldb,
            bImageStride: bImageStride, c, ldc: ldc)
          j += 3
        }
      }
    }
    while j + 2 <= n {
      var c00 = WideVector()
      var c01 = c00
      var c10 = c00
      var c11 = c00
      var c20 = c00
      var c21 = c00
      var c30 = c00
      var c31 = c00
      var tail = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
      for image in 0..<images {
        let a0 = a + image * aImageStride + i * lda
        let a1 = a0 + lda
        let a2 = a1 + lda
        let a3 = a2 + lda
        let b0 = b + image * bImageStride + j * ldb
        let b1 = b0 + ldb
        var p = 0
        while p < vectorEnd {
          let x0 = loadWide(b0 + p)
          let x1 = loadWide(b1 + p)
          var v = loadWide(a0 + p)
          c00 = madd(c00, v, x0)
          c01 = madd(c01, v, x1)
          v = loadWide(a1 + p)
          c10 = madd(c10, v, x0)
          c11 = madd(c11, v, x1)
          v = loadWide(a2 + p)
          c20 = madd(c20, v, x0)
          c21 = madd(c21, v, x1)
          v = loadWide(a3 + p)
          c30 = madd(c30, v, x0)
          c31 = madd(c31, v, x1)
          p += lanes
        }
        while p < k {
          let x0 = b0[p]
          let x1 = b1[p]
          tail.0 += a0[p] * x0
          tail.1 += a0[p] * x1
          tail.2 += a1[p] * x0
          tail.3 += a1[p] * x1
          tail.4 += a2[p] * x0
          tail.5 += a2[p] * x1
          tail.6 += a3[p] * x0
          tail.7 += a3[p] * x1
          p += 1
        }
      }
      let c0 = c + i * ldc + j
      c0[0] += laneSum(c00) + tail.0
      c0[1] += laneSum(c01) + tail.1
      c0[ldc] += laneSum(c10) + tail.2
      c0[ldc + 1] += laneSum(c11) + tail.3
      c0[2 * ldc] += laneSum(c20) + tail.4
      c0[2 * ldc + 1] += laneSum(c21) + tail.5
      c0[3 * ldc] += laneSum(c30) + tail.6
      c0[3 * ldc + 1] += laneSum(c31) + tail.7
      j += 2
    }
    if j < n {
      for r in i..<(i + 4) {
        for image in 0..<images {
          c[r * ldc + j] += vectorDot(
            a + image * aImageStride + r * lda, b + image * bImageStride + j * ldb, k)
        }
      }
    }
    i += 4
  }
  for r in i..<m {
    for col in 0..<n {
      for image in 0..<images {
        c[r * ldc + col] += vectorDot(a + image * aImageStride + r * lda, b + image * bImageStride + col * ldb, k)
      }
    }
  }
}

/// `smallGemmTransposedB` for rows shorter than a vector (the weight gradient of a 1x1 convolution on
/// 2x2 planes): each image's B_b [n, k] is transposed into a [k, n] scratch and C += A_b (B_b^T) runs as
/// `smallGemm`, whose vectors then span C's columns instead of a few products per entry.
private func smallGemmTransposedBShort(
  m: Int, n: Int, k: Int, images: Int, _ a: UnsafePointer<Float>, lda: Int, aImageStride: Int,
  _ b: UnsafePointer<Float>, ldb: Int, bImageStride: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  withUnsafeTemporaryAllocation(of: Float.self, capacity: n * k) { buffer in
    let bt = buffer.baseAddress!
    for image in 0..<images {
      let bb = b + image * bImageStride
      for j in 0..<n { for p in 0..<k { bt[p * n + j] = bb[j * ldb + p] } }
      smallGemm(
        m: m, n: n, k: k, a + image * aImageStride, lda: lda, bt, ldb: n, c, ldc: ldc, accumulate: true)
    }
  }
}

/// One 4 x 4 block of `smallGemmTransposedB` (rows i..<i+4 of C, columns j..<j+4) for k a multiple of the
/// vector width: sixteen accumulators, and each step loads four rows of A and four of B for sixteen
/// multiply-adds (half a load per multiply-add, where the 4 x 2 block needs three quarters).
/// Out of line: inlined into `smallGemmTransposedB`, whose other paths keep values live, the register
/// allocator kept one accumulator on the stack (a load, a multiply-add and a store every step, a chain
/// through memory), seen in `perf annotate` on an AVX-512 machine.
@inline(never)
private func smallGemmTransposedB4x4(
  i: Int, j: Int, k: Int, images: Int, _ a: UnsafePointer<Float>, lda: Int, aImageStride: Int,
  _ b: UnsafePointer<Float>, ldb: Int, bImageStride: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let lanes = WideVector.scalarCount
  var c00 = WideVector()
  var c01 = c00
  var c02 = c00
  var c03 = c00
  var c10 = c00
  var c11 = c00
  var c12 = c00
  var c13 = c00
  var c20 = c00
  var c21 = c00
  var c22 = c00
  var c23 = c00
  var c30 = c00
  var c31 = c00
  var c32 = c00
  var c33 = c00
  for image in 0..<images {
    let a0 = a + image * aImageStride + i * lda
    let b0 = b + image * bImageStride + j * ldb
    var p = 0
    while p < k {
      let x0 = loadWide(b0 + p)
      let x1 = loadWide(b0 + ldb + p)
      let x2 = loadWide(b0 + 2 * ldb + p)
      let x3 = loadWide(b0 + 3 * ldb + p)
      var v = loadWide(a0 + p)
      c00 = madd(c00, v, x0)
      c01 = madd(c01, v, x1)
      c02 = madd(c02, v, x2)
      c03 = madd(c03, v, x3)
      v = loadWide(a0 + lda + p)
      c10 = madd(c10, v, x0)
      c11 = madd(c11, v, x1)
      c12 = madd(c12, v, x2)
      c13 = madd(c13, v, x3)
      v = loadWide(a0 + 2 * lda + p)
      c20 = madd(c20, v, x0)
      c21 = madd(c21, v, x1)
      c22 = madd(c22, v, x2)
      c23 = madd(c23, v, x3)
      v = loadWide(a0 + 3 * lda + p)
      c30 = madd(c30, v, x0)
      c31 = madd(c31, v, x1)
      c32 = madd(c32, v, x2)
      c33 = madd(c33, v, x3)
      p += lanes
    }
  }
  let r0 = c + i * ldc + j
  let r1 = r0 + ldc
  let r2 = r1 + ldc
  let r3 = r2 + ldc
  r0[0] += laneSum(c00)
  r0[1] += laneSum(c01)
  r0[2] += laneSum(c02)
  r0[3] += laneSum(c03)
  r1[0] += laneSum(c10)
  r1[1] += laneSum(c11)
  r1[2] += laneSum(c12)
  r1[3] += laneSum(c13)
  r2[0] += laneSum(c20)
  r2[1] += laneSum(c21)
  r2[2] += laneSum(c22)
  r2[3] += laneSum(c23)
  r3[0] += laneSum(c30)
  r3[1] += laneSum(c31)
  r3[2] += laneSum(c32)
  r3[3] += laneSum(c33)
}

/// One 4 x 3 block of `smallGemmTransposedB` (rows i..<i+4 of C, columns j..<j+3) for k a multiple of the
/// vector width, for 8-lane vectors: with sixteen vector registers (AVX2) the 4 x 4 block's sixteen
/// accumulators, four B rows and an A row spill to the stack inside the loop; twelve accumulators, three B
/// rows and an A row fit (seven loads per twelve multiply-adds).
@inline(__always)
private func smallGemmTransposedB4x3(
  i: Int, j: Int, k: Int, images: Int, _ a: UnsafePointer<Float>, lda: Int, aImageStride: Int,
  _ b: UnsafePointer<Float>, ldb: Int, bImageStride: Int, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  var c00 = SIMD8<Float>()
  var c01 = c00
  var c02 = c00
  var c10 = c00
  var c11 = c00
  var c12 = c00
  var c20 = c00
  var c21 = c00
  var c22 = c00
  var c30 = c00
  var c31 = c00
  var c32 = c00
  for image in 0..<images {
    let a0 = a + image * aImageStride + i * lda
    let b0 = b + image * bImageStride + j * ldb
    var p = 0
    while p < k {
      let x0 = load8(b0 + p)
      let x1 = load8(b0 + ldb + p)
      let x2 = load8(b0 + 2 * ldb + p)
      var v = load8(a0 + p)
      c00 = madd(c00, v, x0)
      c01 = madd(c01, v, x1)
      c02 = madd(c02, v, x2)
      v = load8(a0 + lda + p)
      c10 = madd(c10, v, x0)
      c11 = madd(c11, v, x1)
      c12 = madd(c12, v, x2)
      v = load8(a0 + 2 * lda + p)
      c20 = madd(c20, v, x0)
      c21 = madd(c21, v, x1)
      c22 = madd(c22, v, x2)
      v = load8(a0 + 3 * lda + p)
      c30 = madd(c30, v, x0)
      c31 = madd(c31, v, x1)
      c32 = madd(c32, v, x2)
      p += 8
    }
  }
  let r0 = c + i * ldc + j
  let r1 = r0 + ldc
  let r2 = r1 + ldc
  let r3 = r2 + ldc
  r0[0] += laneSum(c00)
  r0[1] += laneSum(c01)
  r0[2] += laneSum(c02)
  r1[0] += laneSum(c10)
  r1[1] += laneSum(c11)
  r1[2] += laneSum(c12)
  r2[0] += laneSum(c20)
  r2[1] += laneSum(c21)
  r2[2] += laneSum(c22)
  r3[0] += laneSum(c30)
  r3[1] += laneSum(c31)
  r3[2] += laneSum(c32)
}
