/// Direct 3x3 convolution (stride 1, padding 1) for the dense stem, without im2col.
///
/// The input is first copied into zero-padded planes of pitch `DirectConvolution.pitch(w)` (the interior
/// starts at column `left` = 8, so interior rows are 32-byte aligned; zeros on both sides), so that every
/// tap is a contiguous vector load and column blocks may run past the right edge into zeros. Weights are packed
/// per register block of output channels (`packDirectFilter`).

#if TAILNAS_AVX512
  /// The vector of the direct kernels' six-channel block and filter gradient: 16 lanes when the build
  /// targets AVX-512 (`TAILNAS_AVX512`, set by the Makefile on such machines), else 8.
  typealias WideVector = SIMD16<Float>
#else
  /// The vector of the direct kernels' six-channel block and filter gradient: 16 lanes when the build
  /// targets AVX-512 (`TAILNAS_AVX512`, set by the Makefile on such machines), else 8.
  typealias WideVector = SIMD8<Float>
#endif

@inline(__always)
func loadWide(_ p: UnsafePointer<Float>) -> WideVector {
  UnsafeRawPointer(p).loadUnaligned(as: WideVector.self)
}

@inline(__always)
func storeWide(_ v: WideVector, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: WideVector.self)
}

/// Sizes of the padded planes and register blocks of the direct 3x3 convolution.
enum DirectConvolution {
  /// Output columns per block of the wide kernel (four 8-lane vectors); padded rows are sized for it.
  static let columns = 32

  /// Zero columns left of the interior of a padded plane (a whole wide vector, so interior rows are
  /// aligned to the vector size).
  static let left = WideVector.scalarCount

  /// The row pitch of a padded plane for width w, a multiple of the wide vector: the left halo, every
  /// 32-column block and a right halo as wide as the left.
  static func pitch(_ w: Int) -> Int { left + (w + columns - 1) / columns * columns + left }

  /// Floats of one padded plane of height h and width w: the h + 2 rows of the padded image and one
  /// more zero row, read by the two-row block on the last row of an odd height.
  static func planeCount(h: Int, w: Int) -> Int { (h + 3) * pitch(w) }

  /// Output channels per register block for `outputs` channels: six channels x two wide vectors when there
  /// are at least four channels, else three channels x 32 columns (the input gradient of an RGB stem).
  static func lanes(outputs: Int) -> Int { outputs >= 4 ? 6 : 3 }

  /// The number of blocks covering `outputs` channels.
  static func blocks(outputs: Int) -> Int {
    let lanes = lanes(outputs: outputs)
    return (outputs + lanes - 1) / lanes
  }

  /// Floats of a packed filter with `outputs` output and `inputs` input channels.
  static func packedCount(outputs: Int, inputs: Int) -> Int {
    blocks(outputs: outputs) * lanes(outputs: outputs) * inputs * 9
  }
}

/// Copies `planes` h x w planes into zero-padded planes: a zero row above and below, the interior at
/// column `DirectConvolution.left`, zeros elsewhere.
func padPlanes(_ x: UnsafePointer<Float>, planes: Int, h: Int, w: Int, into dst: UnsafeMutablePointer<Float>) {
  let pitch = DirectConvolution.pitch(w)
  let size = DirectConvolution.planeCount(h: h, w: w)
  for p in 0..<planes {
    let plane = dst + p * size
    plane.update(repeating: 0, count: pitch)
    for i in 0..<h {
      let row = plane + (i + 1) * pitch
      let left = DirectConvolution.left
      storeWide(WideVector(), row)
      vectorCopy(x + (p * h + i) * w, row + left, w)
      for j in (left + w)..<pitch { row[j] = 0 }
    }
    (plane + (h + 1) * pitch).update(repeating: 0, count: 2 * pitch)
  }
}

/// Packs w[o, c, ky, kx] ([cout, cin, 3, 3]) into register blocks of `DirectConvolution.lanes` output
/// channels, `packed[((block * cin + c) * 9 + tap) * lanes + lane]`, zero beyond `cout`. With `transposed`
/// the filter is read as the flipped transpose w'[c, o, ky, kx] = w[o, c, 2 - ky, 2 - kx] instead (the
/// input-gradient filter), so that "outputs" are the original input channels.
func packDirectFilter(
  _ w: UnsafePointer<Float>, outputs cout: Int, inputs cin: Int, transposed: Bool,
  into packed: UnsafeMutablePointer<Float>
) {
  let lanes = DirectConvolution.lanes(outputs: cout)
  for block in 0..<DirectConvolution.blocks(outputs: cout) {
    for c in 0..<cin {
      for tap in 0..<9 {
        for lane in 0..<lanes {
          let o = block * lanes + lane
          var value: Float = 0
          if o < cout {
            value = transposed ? w[(c * cout + o) * 9 + 8 - tap] : w[(o * cin + c) * 9 + tap]
          }
          packed[((block * cin + c) * 9 + tap) * lanes + lane] = value
        }
      }
    }
  }
}

/// y[o, i, j] (= or +=) sum_{c, ky, kx} f[o, c, ky, kx] * xpad[c, i + ky, j + kx] for o < cout, over padded
/// input planes `xpad` and a filter packed by `packDirectFilter`.
///
/// Twelve accumulators per register block: six output channels x two wide vectors (per tap two input vectors
/// and six weight broadcasts feed twelve fused multiply-adds), or for fewer than four outputs three
/// channels x 32 columns (four input vectors, three broadcasts).
func directConvolution3x3(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, packed: UnsafePointer<Float>,
  outputs cout: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  if DirectConvolution.lanes(outputs: cout) == 6 {
    directConvolutionSix(
      padded: xpad, inputs: cin, h: h, w: w, packed: packed, outputs: cout, into: y, accumulate: accumulate)
  } else {
    directConvolutionThree(
      padded: xpad, inputs: cin, h: h, w: w, packed: packed, outputs: cout, into: y, accumulate: accumulate)
  }
}

/// The six-channel x two-vector block of `directConvolution3x3` (16 columns, or 32 with AVX-512).
private func directConvolutionSix(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, packed: UnsafePointer<Float>,
  outputs cout: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let hw = h * w
  let lanesPerVector = WideVector.scalarCount
  for block in 0..<DirectConvolution.blocks(outputs: cout) {
    let filter = packed + block * cin * 54
    for i in 0..<h {
      var j = 0
      while j < w {
        var a0 = WideVector()
        var a1 = a0
        var b0 = a0
        var b1 = a0
        var c0 = a0
        var c1 = a0
        var d0 = a0
        var d1 = a0
        var e0 = a0
        var e1 = a0
        var f0 = a0
        var f1 = a0
        // Tap kx of output column j reads padded column j + kx + left - 1.
        var row = xpad + i * pitch + j + DirectConvolution.left - 1
        var t = filter
        for _ in 0..<cin {
          for ky in 0..<3 {
            let r = row + ky * pitch
            for kx in 0..<3 {
              let v0 = loadWide(r + kx)
              let v1 = loadWide(r + kx + lanesPerVector)
              var wv = WideVector(repeating: t[0])
              a0 = madd(a0, wv, v0)
              a1 = madd(a1, wv, v1)
              wv = WideVector(repeating: t[1])
              b0 = madd(b0, wv, v0)
              b1 = madd(b1, wv, v1)
              wv = WideVector(repeating: t[2])
              c0 = madd(c0, wv, v0)
              c1 = madd(c1, wv, v1)
              wv = WideVector(repeating: t[3])
              d0 = madd(d0, wv, v0)
              d1 = madd(d1, wv, v1)
              wv = WideVector(repeating: t[4])
              e0 = madd(e0, wv, v0)
              e1 = madd(e1, wv, v1)
              wv = WideVector(repeating: t[5])
              f0 = madd(f0, wv, v0)
              f1 = madd(f1, wv, v1)
              t += 6
            }
          }
          row += plane
        }
        let valid = min(2 * lanesPerVector, w - j)
        let lanes = min(6, cout - block * 6)
        let dst = y + ((block * 6) * h + i) * w + j
        storeWideRow(a0, a1, dst, valid, accumulate: accumulate)
        if lanes > 1 { storeWideRow(b0, b1, dst + hw, valid, accumulate: accumulate) }
        if lanes > 2 { storeWideRow(c0, c1, dst + 2 * hw, valid, accumulate: accumulate) }
        if lanes > 3 { storeWideRow(d0, d1, dst + 3 * hw, valid, accumulate: accumulate) }
        if lanes > 4 { storeWideRow(e0, e1, dst + 4 * hw, valid, accumulate: accumulate) }
        if lanes > 5 { storeWideRow(f0, f1, dst + 5 * hw, valid, accumulate: accumulate) }
        j += 2 * lanesPerVector
      }
    }
  }
}

/// The three-channel block of `directConvolution3x3`: two output rows x two wide vectors of columns per
/// channel (12 accumulators; per tap four input loads and three broadcasts feed twelve multiply-adds).
private func directConvolutionThree(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, packed: UnsafePointer<Float>,
  outputs cout: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let hw = h * w
  let lanesPerVector = WideVector.scalarCount
  for block in 0..<DirectConvolution.blocks(outputs: cout) {
    let filter = packed + block * cin * 27
    for i in stride(from: 0, to: h, by: 2) {
      var j = 0
      while j < w {
        var a0 = WideVector()
        var a1 = a0
        var a2 = a0
        var a3 = a0
        var b0 = a0
        var b1 = a0
        var b2 = a0
        var b3 = a0
        var c0 = a0
        var c1 = a0
        var c2 = a0
        var c3 = a0
        // Row i in vectors 0 and 1, row i + 1 in vectors 2 and 3.
        var row = xpad + i * pitch + j + DirectConvolution.left - 1
        var t = filter
        for _ in 0..<cin {
          for ky in 0..<3 {
            let r = row + ky * pitch
            for kx in 0..<3 {
              // Three broadcasts, then one input vector at a time: 12 accumulators + 3 + 1 registers.
              let wa = WideVector(repeating: t[0])
              let wb = WideVector(repeating: t[1])
              let wc = WideVector(repeating: t[2])
              var v = loadWide(r + kx)
              a0 = madd(a0, wa, v)
              b0 = madd(b0, wb, v)
              c0 = madd(c0, wc, v)
              v = loadWide(r + kx + lanesPerVector)
              a1 = madd(a1, wa, v)
              b1 = madd(b1, wb, v)
              c1 = madd(c1, wc, v)
              v = loadWide(r + pitch + kx)
              a2 = madd(a2, wa, v)
              b2 = madd(b2, wb, v)
              c2 = madd(c2, wc, v)
              v = loadWide(r + pitch + kx + lanesPerVector)
              a3 = madd(a3, wa, v)
              b3 = madd(b3, wb, v)
              c3 = madd(c3, wc, v)
              t += 3
            }
          }
          row += plane
        }
        let lanes = min(3, cout - block * 3)
        let dst = y + ((block * 3) * h + i) * w + j
        let valid = min(2 * lanesPerVector, w - j)
        let second = i + 1 < h
        storeWideRow(a0, a1, dst, valid, accumulate: accumulate)
        if second { storeWideRow(a2, a3, dst + w, valid, accumulate: accumulate) }
        if lanes > 1 {
          storeWideRow(b0, b1, dst + hw, valid, accumulate: accumulate)
          if second { storeWideRow(b2, b3, dst + hw + w, valid, accumulate: accumulate) }
        }
        if lanes > 2 {
          storeWideRow(c0, c1, dst + 2 * hw, valid, accumulate: accumulate)
          if second { storeWideRow(c2, c3, dst + 2 * hw + w, valid, accumulate: accumulate) }
        }
        j += 2 * lanesPerVector
      }
    }
  }
}

/// Stores (or adds) the first `count` (1 to 2 * lanes) lanes of the pair (v0, v1) of wide vectors at dst.
@inline(__always)
private func storeWideRow(
  _ v0: WideVector, _ v1: WideVector, _ dst: UnsafeMutablePointer<Float>, _ count: Int, accumulate: Bool
) {
  let lanes = WideVector.scalarCount
  assert(count > 0 && count <= 2 * lanes, "storeWideRow: \(count) lanes")
  if count == 2 * lanes {
    storeWide(accumulate ? v0 + loadWide(dst) : v0, dst)
    storeWide(accumulate ? v1 + loadWide(dst + lanes) : v1, dst + lanes)
    return
  }
  for lane in 0..<count {
    let v = lane < lanes ? v0[lane] : v1[lane - lanes]
    dst[lane] = accumulate ? dst[lane] + v : v
  }
}

/// gw[o, c, ky, kx] += sum_{i, j} gy[o, i, j] * xpad[c, i + ky, j + kx] ([cout, cin, 3, 3]), with both the
/// input and the output gradient given as padded planes (`padPlanes`). The sums are kept as wide-vector
/// partial sums, `gw[((o * cin + c) * 9 + tap) * lanes + lane]`, so the lanes are added once per thread
/// (`reduceFilterGradient`) rather than once per image.
///
/// Register block: 4 output channels x 3 column offsets (12 accumulators) for one input channel and one
/// filter row; per vector of columns three input loads and four gradient loads feed twelve multiply-adds.
/// The padded gradient is zero past column w, so the last partial vector of a row needs no mask.
func directFilterGradient3x3(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, paddedGradient gpad: UnsafePointer<Float>,
  outputs cout: Int, into gw: UnsafeMutablePointer<Float>
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let zero = WideVector()
  let lanesPerVector = WideVector.scalarCount
  for o in stride(from: 0, to: cout, by: 4) {
    let lanes = min(4, cout - o)
    // Interior of each gradient plane; missing channels of a partial block reread channel o and their
    // sums are dropped.
    let interior = pitch + DirectConvolution.left
    let ga = gpad + o * plane + interior
    let gb = gpad + (lanes > 1 ? o + 1 : o) * plane + interior
    let gc = gpad + (lanes > 2 ? o + 2 : o) * plane + interior
    let gd = gpad + (lanes > 3 ? o + 3 : o) * plane + interior
    for c in 0..<cin {
      for ky in 0..<3 {
        var a0 = zero
        var a1 = zero
        var a2 = zero
        var b0 = zero
        var b1 = zero
        var b2 = zero
        var c0 = zero
        var c1 = zero
        var c2 = zero
        var d0 = zero
        var d1 = zero
        var d2 = zero
        for i in 0..<h {
          let row = xpad + c * plane + (i + ky) * pitch + DirectConvolution.left - 1
          let g = i * pitch
          var j = 0
          while j < w {
            // Three input vectors, then one gradient vector at a time: 12 + 3 + 1 = 16 registers.
            let x0 = loadWide(row + j)
            let x1 = loadWide(row + j + 1)
            let x2 = loadWide(row + j + 2)
            var v = loadWide(ga + g + j)
            a0 = madd(a0, v, x0)
            a1 = madd(a1, v, x1)
            a2 = madd(a2, v, x2)
            v = loadWide(gb + g + j)
            b0 = madd(b0, v, x0)
            b1 = madd(b1, v, x1)
            b2 = madd(b2, v, x2)
            v = loadWide(gc + g + j)
            c0 = madd(c0, v, x0)
            c1 = madd(c1, v, x1)
            c2 = madd(c2, v, x2)
            v = loadWide(gd + g + j)
            d0 = madd(d0, v, x0)
            d1 = madd(d1, v, x1)
            d2 = madd(d2, v, x2)
            j += lanesPerVector
          }
        }
        let dst = gw + ((o * cin + c) * 9 + ky * 3) * lanesPerVector
        let next = cin * 9 * lanesPerVector
        addVectors(a0, a1, a2, dst)
        if lanes > 1 { addVectors(b0, b1, b2, dst + next) }
        if lanes > 2 { addVectors(c0, c1, c2, dst + 2 * next) }
        if lanes > 3 { addVectors(d0, d1, d2, dst + 3 * next) }
      }
    }
  }
}

/// dst[k] = the lane sum of `count` wide vectors at `vectors` (the layout of `directFilterGradient3x3`).
func reduceFilterGradient(_ vectors: UnsafePointer<Float>, count: Int, into dst: UnsafeMutablePointer<Float>) {
  let lanes = WideVector.scalarCount
  for k in 0..<count { dst[k] = laneSum(loadWide(vectors + k * lanes)) }
}

/// Adds three wide vectors to the three consecutive vectors at dst.
@inline(__always)
private func addVectors(_ v0: WideVector, _ v1: WideVector, _ v2: WideVector, _ dst: UnsafeMutablePointer<Float>) {
  let lanes = WideVector.scalarCount
  storeWide(loadWide(dst) + v0, dst)
  storeWide(loadWide(dst + lanes) + v1, dst + lanes)
  storeWide(loadWide(dst + 2 * lanes) + v2, dst + 2 * lanes)
}
