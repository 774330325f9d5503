/// Depthwise convolution loops over prepared (padded, optionally de-interleaved) planes.

/// Where the taps of a depthwise window read a prepared input plane.
///
/// The plane has `pitch` floats per row; output row r reads rows r * rowStep + i * tapRows (in units of
/// rows); output column c of tap column j reads column c + self[j]. Stride-2 planes are stored with
/// the even padded columns first and the odd ones after them (`deinterleaved`), so every tap reads
/// contiguous columns.
struct TapLayout {
  var pitch: Int
  var rowStep: Int
  var tapRows: Int
  /// Padded columns between taps (the dilation).
  var tapColumns: Int
  /// Where the odd padded columns start in a deinterleaved row (stride 2); 0 for stride 1.
  var oddStart: Int

  /// Column offset of tap column j: j * d at stride 1; at stride 2 the padded column t = j * d sits at
  /// t / 2 among the even columns or oddStart + t / 2 among the odd ones. Arithmetic, not a table, so
  /// the offsets stay in registers inside the kernels' loops.
  @inline(__always)
  subscript(j: Int) -> Int {
    let t = j * tapColumns
    return rowStep == 1 ? t : (t & 1) * oddStart + (t >> 1)
  }

  /// The layout of a zero-padded plane of width `wp` for a window of `kernel` taps with `dilation`, read
  /// at `stride` 1 (plain rows) or 2 (deinterleaved rows).
  init(paddedWidth wp: Int, kernel k: Int, stride s: Int, dilation d: Int) {
    precondition(k <= 7 && (s == 1 || s == 2), "depthwise kernels support k <= 7 and stride 1 or 2")
    pitch = wp
    rowStep = s
    tapRows = d
    tapColumns = d
    oddStart = s == 1 ? 0 : (wp + 1) / 2
  }
}

/// Copies an h x w plane into the interior of a padded plane of width w + 2p (rows offset by p), either
/// as is or with each padded row's even columns first and odd columns after (`deinterleave`); with
/// `rectify` each value v is written as relu(v) (NaN kept, as `vectorRelu`), so a ReLU before the window
/// op costs nothing; with `affine` (a, b) each value is first mapped to a v + b, a batch norm of the input
/// as `vectorAffineRelu` computes it. Only the interior positions are written, so a border zeroed once
/// stays zero (the zero padding of the normalised, rectified plane).
@inline(__always)
func preparePlane(
  _ src: UnsafePointer<Float>, h: Int, w: Int, padding p: Int, deinterleave: Bool, rectify: Bool = false,
  affine: (scale: Float, shift: Float)? = nil, into dst: UnsafeMutablePointer<Float>
) {
  let wp = w + 2 * p
  if !deinterleave {
    if let (a, b) = affine, rectify {
      for i in 0..<h { vectorAffineRelu(src + i * w, dst + (i + p) * wp + p, w, scale: a, shift: b) }
    } else if let (a, b) = affine {
      for i in 0..<h { vectorAffine(src + i * w, dst + (i + p) * wp + p, w, scale: a, shift: b, accumulate: false) }
    } else if rectify {
      for i in 0..<h { vectorRelu(src + i * w, dst + (i + p) * wp + p, w) }
    } else {
      for i in 0..<h { vectorCopy(src + i * w, dst + (i + p) * wp + p, w) }
    }
    return
  }
  // Sixteen values at a time: with x0 even, the values x0 + 2i + e (e = 0 the even lanes, e = 1 the odd
  // lanes) sit at padded columns x0 + p + e + 2i, which all have the parity of p + e and follow each other
  // in their half of the row from (x0 + p + e) / 2 on: two contiguous stores of eight.
  let even = (wp + 1) / 2
  let evenLanes = (p & 1) * even + p / 2
  let oddLanes = ((p + 1) & 1) * even + (p + 1) / 2
  let (a, b) = affine ?? (1, 0)
  let (av, bv) = (SIMD16<Float>(repeating: a), SIMD16<Float>(repeating: b))
  for i in 0..<h {
    let row = dst + (i + p) * wp
    let s = src + i * w
    var x = 0
    while x + 16 <= w {
      var v = UnsafeRawPointer(s + x).loadUnaligned(as: SIMD16<Float>.self)
      if affine != nil { v = madd(bv, av, v) }
      if rectify { v.replace(with: 0, where: v .< 0) }
      store8(v.evenHalf, row + evenLanes + x / 2)
      store8(v.oddHalf, row + oddLanes + x / 2)
      x += 16
    }
    while x < w {
      let pc = x + p
      let v = affine == nil ? s[x] : a * s[x] + b
      row[(pc & 1) * even + (pc >> 1)] = rectify && v < 0 ? 0 : v
      x += 1
    }
  }
}

/// out[r, c] (= or +=) sum_{i,j} f[i, j] * plane[r * rowStep + i * tapRows, c + t[j]] for an
/// oh x ow output with row pitch `outPitch`. Output rows are computed in registers, 32 columns at a time.
/// The 3x3 and 5x5 windows get their own copies of the loops, with the tap loops unrolled.
func depthwiseCorrelate(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, oh: Int, ow: Int, accumulate: Bool
) {
  switch k {
  case 3:
    // Whole wide vectors with the taps in registers, then whole 8-lane vectors the same way (the 8 x 8
    // planes of the last cells, and the columns a wide vector leaves), the remaining columns by the
    // general loops.
    var done =
      accumulate
      ? depthwiseCorrelate3(
        plane, layout: t, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, from: 0, add: true,
        as: WideVector.self)
      : depthwiseCorrelate3(
        plane, layout: t, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, from: 0, add: false,
        as: WideVector.self)
    if WideVector.scalarCount > 8, done + 8 <= ow {
      done =
        accumulate
        ? depthwiseCorrelate3(
          plane, layout: t, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, from: done, add: true,
          as: SIMD8<Float>.self)
        : depthwiseCorrelate3(
          plane, layout: t, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, from: done, add: false,
          as: SIMD8<Float>.self)
    }
    if done < ow {
      depthwiseCorrelateRows(
        plane + done, layout: t, kernel: 3, filter: f, output: out + done, outPitch: outPitch, oh: oh, ow: ow - done,
        accumulate: accumulate)
    }
  case 5 where t.rowStep == 1 && t.tapRows == 1 && oh >= 2:
    // Pairs of rows over whole wide vectors, then whole 8-lane vectors (as the 3 x 3 case); the columns
    // they leave and an odd last row by the general loops.
    let rows = oh / 2 * 2
    var done =
      accumulate
      ? depthwiseCorrelate5TwoRows(
        plane, layout: t, filter: f, output: out, outPitch: outPitch, rows: rows, ow: ow, from: 0, add: true,
        as: WideVector.self)
      : depthwiseCorrelate5TwoRows(
        plane, layout: t, filter: f, output: out, outPitch: outPitch, rows: rows, ow: ow, from: 0, add: false,
        as: WideVector.self)
    if WideVector.scalarCount > 8, done + 8 <= ow {
      done =
        accumulate
        ? depthwiseCorrelate5TwoRows(
          plane, layout: t, filter: f, output: out, outPitch: outPitch, rows: rows, ow: ow, from: done, add: true,
          as: SIMD8<Float>.self)
        : depthwiseCorrelate5TwoRows(
          plane, layout: t, filter: f, output: out, outPitch: outPitch, rows: rows, ow: ow, from: done, add: false,
          as: SIMD8<Float>.self)
    }
    if done < ow {
      depthwiseCorrelateRows(
        plane + done, layout: t, kernel: 5, filter: f, output: out + done, outPitch: outPitch, oh: rows,
        ow: ow - done, accumulate: accumulate)
    }
    if rows < oh {
      depthwiseCorrelateRows(
        plane + rows * t.pitch, layout: t, kernel: 5, filter: f, output: out + rows * outPitch, outPitch: outPitch,
        oh: 1, ow: ow, accumulate: accumulate)
    }
  case 5:
    depthwiseCorrelateRows(
      plane, layout: t, kernel: 5, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, accumulate: accumulate)
  default:
    depthwiseCorrelateRows(
      plane, layout: t, kernel: k, filter: f, output: out, outPitch: outPitch, oh: oh, ow: ow, accumulate: accumulate)
  }
}

/// 3 x 3 correlation over the columns from `start` on that fill whole vectors of V (returns where they
/// end): the nine filter taps are broadcast into vector registers once per plane, not once per row, so each
/// output vector costs nine loads and nine multiply-adds and nothing else; two vectors of a row run side
/// by side, each with two accumulators (even and odd taps) to keep four multiply-add chains in flight.
/// `add` is a constant in each of the caller's calls, so the loop carries no test for it.
@inline(__always)
private func depthwiseCorrelate3<V: SIMD>(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, oh: Int, ow: Int, from start: Int, add: Bool,
  as _: V.Type
) -> Int where V.Scalar == Float {
  let lanes = V.scalarCount
  let end = start + (ow - start) / lanes * lanes
  guard end > start else { return start }
  let w0 = V(repeating: f[0])
  let w1 = V(repeating: f[1])
  let w2 = V(repeating: f[2])
  let w3 = V(repeating: f[3])
  let w4 = V(repeating: f[4])
  let w5 = V(repeating: f[5])
  let w6 = V(repeating: f[6])
  let w7 = V(repeating: f[7])
  let w8 = V(repeating: f[8])
  let (o0, o1, o2) = (t[0], t[1], t[2])
  let down = t.tapRows * t.pitch
  let rowPitch = t.rowStep * t.pitch
  /// One output vector from the three padded rows starting at p, q, r: the two partial sums added.
  @inline(__always) func taps(_ p: UnsafePointer<Float>) -> V {
    let q = p + down
    let r = q + down
    var a = w0 * loadVector(p + o0)
    var b = w1 * loadVector(p + o1)
    a = madd(a, w2, loadVector(p + o2))
    b = madd(b, w3, loadVector(q + o0))
    a = madd(a, w4, loadVector(q + o1))
    b = madd(b, w5, loadVector(q + o2))
    a = madd(a, w6, loadVector(r + o0))
    b = madd(b, w7, loadVector(r + o1))
    a = madd(a, w8, loadVector(r + o2))
    return a + b
  }
  for row in 0..<oh {
    let base = plane + row * rowPitch
    let o = out + row * outPitch
    var c = start
    while c + 2 * lanes <= end {
      var v0 = taps(base + c)
      var v1 = taps(base + c + lanes)
      if add {
        v0 += loadVector(o + c)
        v1 += loadVector(o + c + lanes)
      }
      storeVector(v0, o + c)
      storeVector(v1, o + c + lanes)
      c += 2 * lanes
    }
    if c < end {
      var v0 = taps(base + c)
      if add { v0 += loadVector(o + c) }
      storeVector(v0, o + c)
    }
  }
  return end
}

/// The loops of `depthwiseCorrelate`, inlined into each of its cases so a constant kernel size unrolls.
@inline(__always)
private func depthwiseCorrelateRows(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, oh: Int, ow: Int, accumulate: Bool
) {
  let pitch = t.pitch
  let rowStride = t.rowStep * pitch
  /// Columns c..<ow of output row r, one at a time.
  @inline(__always) func scalarColumns(_ r: Int, from start: Int) {
    let base = plane + r * rowStride
    let o = out + r * outPitch
    for c in start..<ow {
      var s: Float = 0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k { s += f[i * k + j] * row[t[j]] }
      }
      o[c] = accumulate ? o[c] + s : s
    }
  }
  var firstRow = 0
  if ow < 32 && oh >= 4 {
    // Rows of one vector or less (16 x 16 and 8 x 8 planes): four rows at a time share each tap's
    // broadcast and make four independent multiply-add chains, where one row alone makes one or two.
    firstRow = oh / 4 * 4
    for r in stride(from: 0, to: firstRow, by: 4) {
      var c = 0
      #if TAILNAS_AVX512
        while c + 16 <= ow {
          depthwiseFourRows(
            plane + r * rowStride + c, rowStride: rowStride, layout: t, kernel: k, filter: f,
            output: out + r * outPitch + c, outPitch: outPitch, accumulate: accumulate, as: WideVector.self)
          c += 16
        }
      #endif
      while c + 8 <= ow {
        depthwiseFourRows(
          plane + r * rowStride + c, rowStride: rowStride, layout: t, kernel: k, filter: f,
          output: out + r * outPitch + c, outPitch: outPitch, accumulate: accumulate, as: SIMD8<Float>.self)
        c += 8
      }
      if c < ow { for row in r..<(r + 4) { scalarColumns(row, from: c) } }
    }
  }
  for r in firstRow..<oh {
    let base = plane + r * rowStride
    let o = out + r * outPitch
    var c = 0
    #if TAILNAS_AVX512
      // 16-lane vectors: 32 columns in two, then 16 in one (even and odd taps in separate accumulators).
      while c + 32 <= ow {
        depthwiseTwoVectors(
          base + c, layout: t, kernel: k, filter: f, output: o + c, accumulate: accumulate, as: WideVector.self)
        c += 32
      }
      while c + 16 <= ow {
        var a0 = WideVector()
        var b0 = a0
        for i in 0..<k {
          let row = base + i * t.tapRows * pitch + c
          var j = 0
          while j + 1 < k {
            a0 = madd(a0, WideVector(repeating: f[i * k + j]), loadWide(row + t[j]))
            b0 = madd(b0, WideVector(repeating: f[i * k + j + 1]), loadWide(row + t[j + 1]))
            j += 2
          }
          if j < k { a0 = madd(a0, WideVector(repeating: f[i * k + j]), loadWide(row + t[j])) }
        }
        a0 += b0
        if accumulate { a0 += loadWide(o + c) }
        storeWide(a0, o + c)
        c += 16
      }
    #endif
    while c + 32 <= ow {
      var a0 = SIMD8<Float>()
      var a1 = a0
      var a2 = a0
      var a3 = a0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k {
          let fv = SIMD8<Float>(repeating: f[i * k + j])
          let p = row + t[j]
          a0 = madd(a0, fv, load8(p))
          a1 = madd(a1, fv, load8(p + 8))
          a2 = madd(a2, fv, load8(p + 16))
          a3 = madd(a3, fv, load8(p + 24))
        }
      }
      if accumulate {
        a0 += load8(o + c)
        a1 += load8(o + c + 8)
        a2 += load8(o + c + 16)
        a3 += load8(o + c + 24)
      }
      store8(a0, o + c)
      store8(a1, o + c + 8)
      store8(a2, o + c + 16)
      store8(a3, o + c + 24)
      c += 32
    }
    while c + 16 <= ow {
      depthwiseTwoVectors(
        base + c, layout: t, kernel: k, filter: f, output: o + c, accumulate: accumulate, as: SIMD8<Float>.self)
      c += 16
    }
    while c + 8 <= ow {
      var a0 = SIMD8<Float>()
      var a1 = a0
      var a2 = a0
      var a3 = a0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        var j = 0
        while j + 3 < k {
          a0 = madd(a0, SIMD8(repeating: f[i * k + j]), load8(row + t[j]))
          a1 = madd(a1, SIMD8(repeating: f[i * k + j + 1]), load8(row + t[j + 1]))
          a2 = madd(a2, SIMD8(repeating: f[i * k + j + 2]), load8(row + t[j + 2]))
          a3 = madd(a3, SIMD8(repeating: f[i * k + j + 3]), load8(row + t[j + 3]))
          j += 4
        }
        while j < k {
          a0 = madd(a0, SIMD8(repeating: f[i * k + j]), load8(row + t[j]))
          j += 1
        }
      }
      a0 += a1 + a2 + a3
      if accumulate { a0 += load8(o + c) }
      store8(a0, o + c)
      c += 8
    }
    scalarColumns(r, from: c)
  }
}

/// One vector of V columns of four output rows of `depthwiseCorrelateRows`, starting at `base` (row r's
/// first column) and `out`: each tap is broadcast once for the four rows (row q reads `rowStride` floats
/// further on), whose sums are four independent multiply-add chains.
@inline(__always)
private func depthwiseFourRows<V: SIMD>(
  _ base: UnsafePointer<Float>, rowStride: Int, layout t: TapLayout, kernel k: Int, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, accumulate: Bool, as: V.Type
) where V.Scalar == Float {
  var a0 = V()
  var a1 = a0
  var a2 = a0
  var a3 = a0
  for i in 0..<k {
    let row = base + i * t.tapRows * t.pitch
    for j in 0..<k {
      let fv = V(repeating: f[i * k + j])
      let p = row + t[j]
      a0 = madd(a0, fv, loadVector(p))
      a1 = madd(a1, fv, loadVector(p + rowStride))
      a2 = madd(a2, fv, loadVector(p + 2 * rowStride))
      a3 = madd(a3, fv, loadVector(p + 3 * rowStride))
    }
  }
  if accumulate {
    a0 += loadVector(out)
    a1 += loadVector(out + outPitch)
    a2 += loadVector(out + 2 * outPitch)
    a3 += loadVector(out + 3 * outPitch)
  }
  storeVector(a0, out)
  storeVector(a1, out + outPitch)
  storeVector(a2, out + 2 * outPitch)
  storeVector(a3, out + 3 * outPitch)
}

/// One block of `depthwiseCorrelate`: two vectors of V (2 x lanes output columns starting at `row`'s
/// column 0 and `out`), even and odd taps in separate accumulators so four multiply-add chains run at once.
@inline(__always)
private func depthwiseTwoVectors<V: SIMD>(
  _ row0: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, accumulate: Bool, as _: V.Type
) where V.Scalar == Float {
  let lanes = V.scalarCount
  var a0 = V()
  var a1 = a0
  var b0 = a0
  var b1 = a0
  for i in 0..<k {
    let row = row0 + i * t.tapRows * t.pitch
    var j = 0
    while j + 1 < k {
      let p = row + t[j]
      let q = row + t[j + 1]
      let f0 = V(repeating: f[i * k + j])
      let f1 = V(repeating: f[i * k + j + 1])
      a0 = madd(a0, f0, loadVector(p))
      a1 = madd(a1, f0, loadVector(p + lanes))
      b0 = madd(b0, f1, loadVector(q))
      b1 = madd(b1, f1, loadVector(q + lanes))
      j += 2
    }
    if j < k {
      let p = row + t[j]
      let f0 = V(repeating: f[i * k + j])
      a0 = madd(a0, f0, loadVector(p))
      a1 = madd(a1, f0, loadVector(p + lanes))
    }
  }
  a0 += b0
  a1 += b1
  if accumulate {
    a0 += loadVector(out)
    a1 += loadVector(out + lanes)
  }
  UnsafeMutableRawPointer(out).storeBytes(of: a0, as: V.self)
  UnsafeMutableRawPointer(out + lanes).storeBytes(of: a1, as: V.self)
}
