/// Max-pool loops over padded planes.

/// out[r, c] = max_{i,j} plane[r * rowStep + i * tapRows, c + columns[j]] (the plane padded with -inf).
@inline(__always)
func maxCorrelate(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, output out: UnsafeMutablePointer<Float>,
  oh: Int, ow: Int
) {
  let pitch = t.pitch
  for r in 0..<oh {
    let base = plane + r * t.rowStep * pitch
    let o = out + r * ow
    var c = 0
    while c + 8 <= ow {
      var m = SIMD8<Float>(repeating: -.infinity)
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k {
          let v = load8(row + t[j])
          m = m.replacing(with: v, where: v .> m)
        }
      }
      store8(m, o + c)
      c += 8
    }
    while c < ow {
      var m = -Float.infinity
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k { m = max(m, row[t[j]]) }
      }
      o[c] = m
      c += 1
    }
  }
}

/// `maxCorrelate` that also records, per output, the row-major tap index (0 ..< k*k) of the first
/// window maximum, one byte per output at `taps`.
@inline(__always)
func maxCorrelateRecordingTaps(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, output out: UnsafeMutablePointer<Float>,
  taps: UnsafeMutableRawPointer, oh: Int, ow: Int
) {
  let pitch = t.pitch
  for r in 0..<oh {
    let base = plane + r * t.rowStep * pitch
    let o = out + r * ow
    let to = taps + r * ow
    var c = 0
    while c + 8 <= ow {
      var m = SIMD8<Float>(repeating: -.infinity)
      var index = SIMD8<Int32>()
      var tap: Int32 = 0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k {
          let v = load8(row + t[j])
          let greater = v .> m
          m = m.replacing(with: v, where: greater)
          index = index.replacing(with: SIMD8(repeating: tap), where: greater)
          tap += 1
        }
      }
      store8(m, o + c)
      (to + c).storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: index), as: SIMD8<UInt8>.self)
      c += 8
    }
    while c < ow {
      var m = -Float.infinity
      var index = 0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k where row[t[j]] > m {
          m = row[t[j]]
          index = i * k + j
        }
      }
      o[c] = m
      to.storeBytes(of: UInt8(index), toByteOffset: c, as: UInt8.self)
      c += 1
    }
  }
}

/// The max-pool gradient from recorded taps: each output gradient is added at the input position of
/// its window's first maximum. `gx` is one h x w plane; windows start at (r * s - p, c * s - p).
@inline(__always)
func maxPoolScatterTaps(
  taps: UnsafeRawPointer, outputGradient gy: UnsafePointer<Float>, oh: Int, ow: Int, kernel k: Int, stride s: Int,
  padding p: Int, h: Int, w: Int, into gx: UnsafeMutablePointer<Float>
) {
  withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * k * k) { table in
    // Row and column offset of each tap (no integer division per output).
    for tap in 0..<(k * k) {
      table[2 * tap] = tap / k
      table[2 * tap + 1] = tap % k
    }
    let offsets = table.baseAddress!
    for r in 0..<oh {
      let top = r * s - p
      let t = taps + r * ow
      let g = gy + r * ow
      for c in 0..<ow {
        let tap = Int(t.load(fromByteOffset: c, as: UInt8.self))
        let row = top + offsets[2 * tap]
        let col = c * s - p + offsets[2 * tap + 1]
        if row >= 0 && row < h && col >= 0 && col < w { gx[row * w + col] += g[c] }
      }
    }
  }
}

/// One h x w plane of unpadded k x k average pooling at stride s (PyTorch `avg_pool2d`, padding 0):
/// out[r, q] = scale * sum_{i, j < k} x[r s + i, q s + j] for an oh x ow output. Per output row the k input
/// rows are added as vectors into the column sums `sums` (the (ow - 1) s + k columns any window reads),
/// then each output adds its k neighbouring column sums.
@inline(__always)
func averagePoolUnpadded(
  _ x: UnsafePointer<Float>, w: Int, kernel k: Int, stride s: Int, oh: Int, ow: Int, scale: Float,
  columnSums sums: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>
) {
  let used = (ow - 1) * s + k
  for r in 0..<oh {
    let top = x + r * s * w
    vectorCopy(top, sums, used)
    for i in 1..<k { vectorCopy(top + i * w, sums, used, accumulate: true) }
    let o = out + r * ow
    for q in 0..<ow {
      let window = sums + q * s
      var total: Float = 0
      for j in 0..<k { total += window[j] }
      o[q] = total * scale
    }
  }
}

/// The adjoint of `averagePoolUnpadded`: gx[r s + i, q s + j] += scale * gy[r, q]. Per output row the scaled
/// gradients are spread over their k columns into `row` (they add up where windows overlap, s < k), which
/// is then added as vectors to the k input rows of the window. `gx` is one initialised h x w plane.
@inline(__always)
func averagePoolUnpaddedGradient(
  _ gy: UnsafePointer<Float>, w: Int, kernel k: Int, stride s: Int, oh: Int, ow: Int, scale: Float,
  row: UnsafeMutablePointer<Float>, into gx: UnsafeMutablePointer<Float>
) {
  let used = (ow - 1) * s + k
  for r in 0..<oh {
    row.update(repeating: 0, count: used)
    let g = gy + r * ow
    for q in 0..<ow {
      let v = g[q] * scale
      let window = row + q * s
      for j in 0..<k { window[j] += v }
    }
    let top = gx + r * s * w
    for i in 0..<k { vectorCopy(row, top + i * w, used, accumulate: true) }
  }
}
