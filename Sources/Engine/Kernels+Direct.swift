/// Direct 3x3 convolution (stride 1, padding 1) for the dense stem, without im2col.
///
/// The input is first copied into zero-padded planes of pitch `DirectConvolution.pitch(w)` (one zero
/// column on the left, zeros from column w + 1 up to the pitch), so that every tap is a contiguous
/// unaligned vector load and column blocks may run past the right edge into zeros. Weights are packed
/// per register block of output channels (`packDirectFilter`).

/// Sizes of the padded planes and register blocks of the direct 3x3 convolution.
enum DirectConvolution {
  /// Output columns per block of the wide kernel (four 8-lane vectors); padded rows are sized for it.
  static let columns = 32

  /// The row pitch of a padded plane for width w: room for every 32-column block plus the two halo
  /// columns.
  static func pitch(_ w: Int) -> Int { (w + columns - 1) / columns * columns + 2 }

  /// Floats of one padded plane of height h and width w.
  static func planeCount(h: Int, w: Int) -> Int { (h + 2) * pitch(w) }

  /// Output channels per register block for `outputs` channels: six channels x 16 columns when there
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

/// Copies `planes` h x w planes into zero-padded planes (one zero row and column of halo on each side,
/// zeros up to the pitch).
func padPlanes(_ x: UnsafePointer<Float>, planes: Int, h: Int, w: Int, into dst: UnsafeMutablePointer<Float>) {
  let pitch = DirectConvolution.pitch(w)
  let size = DirectConvolution.planeCount(h: h, w: w)
  for p in 0..<planes {
    let plane = dst + p * size
    plane.update(repeating: 0, count: pitch)
    for i in 0..<h {
      let row = plane + (i + 1) * pitch
      row[0] = 0
      vectorCopy(x + (p * h + i) * w, row + 1, w)
      for j in (w + 1)..<pitch { row[j] = 0 }
    }
    (plane + (h + 1) * pitch).update(repeating: 0, count: pitch)
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
/// Twelve accumulators per register block: six output channels x 16 columns (per tap two input vectors
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

/// The six-channel x 16-column block of `directConvolution3x3`.
private func directConvolutionSix(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, packed: UnsafePointer<Float>,
  outputs cout: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let hw = h * w
  for block in 0..<DirectConvolution.blocks(outputs: cout) {
    let filter = packed + block * cin * 54
    for i in 0..<h {
      var j = 0
      while j < w {
        var a0 = SIMD8<Float>()
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
        var row = xpad + i * pitch + j
        var t = filter
        for _ in 0..<cin {
          for ky in 0..<3 {
            let r = row + ky * pitch
            for kx in 0..<3 {
              let v0 = load8(r + kx)
              let v1 = load8(r + kx + 8)
              var wv = SIMD8<Float>(repeating: t[0])
              a0 = madd(a0, wv, v0)
              a1 = madd(a1, wv, v1)
              wv = SIMD8<Float>(repeating: t[1])
              b0 = madd(b0, wv, v0)
              b1 = madd(b1, wv, v1)
              wv = SIMD8<Float>(repeating: t[2])
              c0 = madd(c0, wv, v0)
              c1 = madd(c1, wv, v1)
              wv = SIMD8<Float>(repeating: t[3])
              d0 = madd(d0, wv, v0)
              d1 = madd(d1, wv, v1)
              wv = SIMD8<Float>(repeating: t[4])
              e0 = madd(e0, wv, v0)
              e1 = madd(e1, wv, v1)
              wv = SIMD8<Float>(repeating: t[5])
              f0 = madd(f0, wv, v0)
              f1 = madd(f1, wv, v1)
              t += 6
            }
          }
          row += plane
        }
        let valid = min(16, w - j)
        let lanes = min(6, cout - block * 6)
        let dst = y + ((block * 6) * h + i) * w + j
        storeRow(a0, a1, dst, valid, accumulate: accumulate)
        if lanes > 1 { storeRow(b0, b1, dst + hw, valid, accumulate: accumulate) }
        if lanes > 2 { storeRow(c0, c1, dst + 2 * hw, valid, accumulate: accumulate) }
        if lanes > 3 { storeRow(d0, d1, dst + 3 * hw, valid, accumulate: accumulate) }
        if lanes > 4 { storeRow(e0, e1, dst + 4 * hw, valid, accumulate: accumulate) }
        if lanes > 5 { storeRow(f0, f1, dst + 5 * hw, valid, accumulate: accumulate) }
        j += 16
      }
    }
  }
}

/// The three-channel x 32-column block of `directConvolution3x3`.
private func directConvolutionThree(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, packed: UnsafePointer<Float>,
  outputs cout: Int, into y: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let hw = h * w
  for block in 0..<DirectConvolution.blocks(outputs: cout) {
    let filter = packed + block * cin * 27
    for i in 0..<h {
      var j = 0
      while j < w {
        var a0 = SIMD8<Float>()
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
        var row = xpad + i * pitch + j
        var t = filter
        for _ in 0..<cin {
          for ky in 0..<3 {
            let r = row + ky * pitch
            for kx in 0..<3 {
              // Three broadcasts, then one input vector at a time: 12 accumulators + 3 + 1 = 16 registers.
              let wa = SIMD8<Float>(repeating: t[0])
              let wb = SIMD8<Float>(repeating: t[1])
              let wc = SIMD8<Float>(repeating: t[2])
              var v = load8(r + kx)
              a0 = madd(a0, wa, v)
              b0 = madd(b0, wb, v)
              c0 = madd(c0, wc, v)
              v = load8(r + kx + 8)
              a1 = madd(a1, wa, v)
              b1 = madd(b1, wb, v)
              c1 = madd(c1, wc, v)
              v = load8(r + kx + 16)
              a2 = madd(a2, wa, v)
              b2 = madd(b2, wb, v)
              c2 = madd(c2, wc, v)
              v = load8(r + kx + 24)
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
        let low = min(16, w - j)
        let high = min(16, w - j - 16)
        storeRow(a0, a1, dst, low, accumulate: accumulate)
        if high > 0 { storeRow(a2, a3, dst + 16, high, accumulate: accumulate) }
        if lanes > 1 {
          storeRow(b0, b1, dst + hw, low, accumulate: accumulate)
          if high > 0 { storeRow(b2, b3, dst + hw + 16, high, accumulate: accumulate) }
        }
        if lanes > 2 {
          storeRow(c0, c1, dst + 2 * hw, low, accumulate: accumulate)
          if high > 0 { storeRow(c2, c3, dst + 2 * hw + 16, high, accumulate: accumulate) }
        }
        j += 32
      }
    }
  }
}

/// Stores (or adds) the first `count` (1 to 16) lanes of the pair (v0, v1) at dst.
@inline(__always)
private func storeRow(
  _ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>, _ count: Int, accumulate: Bool
) {
  assert(count > 0 && count <= 16, "storeRow: \(count) lanes")
  if count == 16 {
    store8(accumulate ? v0 + load8(dst) : v0, dst)
    store8(accumulate ? v1 + load8(dst + 8) : v1, dst + 8)
    return
  }
  for lane in 0..<count {
    let v = lane < 8 ? v0[lane] : v1[lane - 8]
    dst[lane] = accumulate ? dst[lane] + v : v
  }
}

/// gw[o, c, ky, kx] += sum_{i, j} gy[o, i, j] * xpad[c, i + ky, j + kx] ([cout, cin, 3, 3]), with both the
/// input and the output gradient given as padded planes (`padPlanes`).
///
/// Register block: 4 output channels x 3 column offsets (12 accumulators) for one input channel and one
/// filter row; per 8 columns three input loads and four gradient loads feed twelve multiply-adds. The
/// padded gradient is zero past column w, so the last partial vector of a row needs no mask.
func directFilterGradient3x3(
  padded xpad: UnsafePointer<Float>, inputs cin: Int, h: Int, w: Int, paddedGradient gpad: UnsafePointer<Float>,
  outputs cout: Int, into gw: UnsafeMutablePointer<Float>
) {
  let pitch = DirectConvolution.pitch(w)
  let plane = DirectConvolution.planeCount(h: h, w: w)
  let zero = SIMD8<Float>()
  for o in stride(from: 0, to: cout, by: 4) {
    let lanes = min(4, cout - o)
    // Interior of each gradient plane; missing channels of a partial block reread channel o and their
    // sums are dropped.
    let ga = gpad + o * plane + pitch + 1
    let gb = gpad + (lanes > 1 ? o + 1 : o) * plane + pitch + 1
    let gc = gpad + (lanes > 2 ? o + 2 : o) * plane + pitch + 1
    let gd = gpad + (lanes > 3 ? o + 3 : o) * plane + pitch + 1
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
          let row = xpad + c * plane + (i + ky) * pitch
          let g = i * pitch
          var j = 0
          while j < w {
            // Three input vectors, then one gradient vector at a time: 12 + 3 + 1 = 16 registers.
            let x0 = load8(row + j)
            let x1 = load8(row + j + 1)
            let x2 = load8(row + j + 2)
            var v = load8(ga + g + j)
            a0 = madd(a0, v, x0)
            a1 = madd(a1, v, x1)
            a2 = madd(a2, v, x2)
            v = load8(gb + g + j)
            b0 = madd(b0, v, x0)
            b1 = madd(b1, v, x1)
            b2 = madd(b2, v, x2)
            v = load8(gc + g + j)
            c0 = madd(c0, v, x0)
            c1 = madd(c1, v, x1)
            c2 = madd(c2, v, x2)
            v = load8(gd + g + j)
            d0 = madd(d0, v, x0)
            d1 = madd(d1, v, x1)
            d2 = madd(d2, v, x2)
            j += 8
          }
        }
        let dst = gw + (o * cin + c) * 9 + ky * 3
        let next = cin * 9
        addSums(a0, a1, a2, dst)
        if lanes > 1 { addSums(b0, b1, b2, dst + next) }
        if lanes > 2 { addSums(c0, c1, c2, dst + 2 * next) }
        if lanes > 3 { addSums(d0, d1, d2, dst + 3 * next) }
      }
    }
  }
}

/// dst[k] += the lane sum of the k-th vector.
@inline(__always)
private func addSums(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ v2: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>) {
  dst[0] += v0.sum()
  dst[1] += v1.sum()
  dst[2] += v2.sum()
}
