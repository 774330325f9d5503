/// The 5 x 5 depthwise correlation at stride 1 without row dilation (`sep_conv_5x5`'s depthwise filters,
/// and the input gradient of every stride-1 5 x 5 filter), two output rows at a time.

/// One row of a 5 x 5 filter, each tap broadcast into a vector.
private struct FilterRow5<V: SIMD> where V.Scalar == Float {
  let w0: V
  let w1: V
  let w2: V
  let w3: V
  let w4: V

  @inline(__always)
  init(_ f: UnsafePointer<Float>) {
    w0 = V(repeating: f[0])
    w1 = V(repeating: f[1])
    w2 = V(repeating: f[2])
    w3 = V(repeating: f[3])
    w4 = V(repeating: f[4])
  }

  /// even += w0 x0 + w2 x2 + w4 x4 and odd += w1 x1 + w3 x3: one input row's five taps, in two chains.
  @inline(__always)
  func add(to even: inout V, _ odd: inout V, _ x: (V, V, V, V, V)) {
    even = madd(even, w0, x.0)
    odd = madd(odd, w1, x.1)
    even = madd(even, w2, x.2)
    odd = madd(odd, w3, x.3)
    even = madd(even, w4, x.4)
  }
}

/// out[r, c] (= or +=) sum_{i,j < 5} f[i, j] plane[r + i, c + t[j]] over the output rows `0 ..< rows` (an
/// even count) and the columns from `start` on that fill whole vectors of V; returns where they end.
///
/// Output rows r and r + 1 share four of their five input rows, so each input row is loaded once (five
/// column-shifted vectors) for both: row r takes it with filter row i, row r + 1 with filter row i - 1.
/// That is 0.6 loads per multiply-add where one row at a time needs one (the taps are broadcast into
/// registers once per plane), and four multiply-add chains (two rows, even and odd taps) run at once even
/// on a plane only one vector wide, where one row of one vector has two. The layout must be stride 1 with
/// row dilation 1 (`rowStep == 1`, `tapRows == 1`); column dilation is any (`t[j]`).
@inline(__always)
func depthwiseCorrelate5TwoRows<V: SIMD>(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, rows: Int, ow: Int, from start: Int, add: Bool,
  as _: V.Type
) -> Int where V.Scalar == Float {
  precondition(t.rowStep == 1 && t.tapRows == 1 && rows % 2 == 0, "depthwiseCorrelate5TwoRows: layout")
  let lanes = V.scalarCount
  let end = start + (ow - start) / lanes * lanes
  guard end > start, rows > 0 else { return start }
  let f0 = FilterRow5<V>(f)
  let f1 = FilterRow5<V>(f + 5)
  let f2 = FilterRow5<V>(f + 10)
  let f3 = FilterRow5<V>(f + 15)
  let f4 = FilterRow5<V>(f + 20)
  let (o0, o1, o2, o3, o4) = (t[0], t[1], t[2], t[3], t[4])
  let pitch = t.pitch
  @inline(__always) func taps(_ p: UnsafePointer<Float>) -> (V, V, V, V, V) {
    (loadVector(p + o0), loadVector(p + o1), loadVector(p + o2), loadVector(p + o3), loadVector(p + o4))
  }
  var r = 0
  while r < rows {
    let base = plane + r * pitch
    let upper = out + r * outPitch
    let lower = upper + outPitch
    var c = start
    while c < end {
      let p = base + c
      var a0 = V()
      var a1 = V()
      var b0 = V()
      var b1 = V()
      var x = taps(p)
      f0.add(to: &a0, &a1, x)
      x = taps(p + pitch)
      f1.add(to: &a0, &a1, x)
      f0.add(to: &b0, &b1, x)
      x = taps(p + 2 * pitch)
      f2.add(to: &a0, &a1, x)
      f1.add(to: &b0, &b1, x)
      x = taps(p + 3 * pitch)
      f3.add(to: &a0, &a1, x)
      f2.add(to: &b0, &b1, x)
      x = taps(p + 4 * pitch)
      f4.add(to: &a0, &a1, x)
      f3.add(to: &b0, &b1, x)
      x = taps(p + 5 * pitch)
      f4.add(to: &b0, &b1, x)
      var top = a0 + a1
      var bottom = b0 + b1
      if add {
        top += loadVector(upper + c)
        bottom += loadVector(lower + c)
      }
      storeVector(top, upper + c)
      storeVector(bottom, lower + c)
      c += lanes
    }
    r += 2
  }
  return end
}
