/// The filter gradient of a depthwise window over a prepared plane (see `Kernels+Depthwise.swift`).

/// df[i, j] += sum_{r, c} dy[r, c] * plane[r * rowStep + i * tapRows, c + t[j]] for a k x k filter: the
/// 3 x 3 and 5 x 5 one-pass kernels or the general one.
@inline(__always)
func depthwiseFilterGradientAnyKernel(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, outputGradient gy: UnsafePointer<Float>,
  oh: Int, ow: Int, into gf: UnsafeMutablePointer<Float>
) {
  switch k {
  case 3: depthwiseFilterGradient3(plane, layout: t, outputGradient: gy, oh: oh, ow: ow, into: gf)
  case 5: depthwiseFilterGradient5(plane, layout: t, outputGradient: gy, oh: oh, ow: ow, into: gf)
  default: depthwiseFilterGradient(plane, layout: t, kernel: k, outputGradient: gy, oh: oh, ow: ow, into: gf)
  }
}

/// df[i, j] += sum_{r, c} dy[r, c] * plane[r * rowStep + i * tapRows, c + t[j]], four independent
/// vector accumulators per tap.
@inline(__always)
func depthwiseFilterGradient(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, outputGradient gy: UnsafePointer<Float>,
  oh: Int, ow: Int, into gf: UnsafeMutablePointer<Float>
) {
  let pitch = t.pitch
  let vectors = ow / 8
  let tailStart = vectors * 8
  for i in 0..<k {
    for j in 0..<k {
      var a0 = SIMD8<Float>()
      var a1 = a0
      var a2 = a0
      var a3 = a0
      var tail: Float = 0
      let off = i * t.tapRows * pitch + t[j]
      for r in 0..<oh {
        let g = gy + r * ow
        let s = plane + r * t.rowStep * pitch + off
        var v = 0
        while v + 4 <= vectors {
          a0 = madd(a0, load8(g + v * 8), load8(s + v * 8))
          a1 = madd(a1, load8(g + v * 8 + 8), load8(s + v * 8 + 8))
          a2 = madd(a2, load8(g + v * 8 + 16), load8(s + v * 8 + 16))
          a3 = madd(a3, load8(g + v * 8 + 24), load8(s + v * 8 + 24))
          v += 4
        }
        if v + 2 <= vectors {
          if r & 1 == 0 {
            a0 = madd(a0, load8(g + v * 8), load8(s + v * 8))
            a1 = madd(a1, load8(g + v * 8 + 8), load8(s + v * 8 + 8))
          } else {
            a2 = madd(a2, load8(g + v * 8), load8(s + v * 8))
            a3 = madd(a3, load8(g + v * 8 + 8), load8(s + v * 8 + 8))
          }
          v += 2
        }
        if v < vectors {
          let prod = load8(g + v * 8) * load8(s + v * 8)
          switch r & 3 {
          case 0: a0 += prod
          case 1: a1 += prod
          case 2: a2 += prod
          default: a3 += prod
          }
        }
        for c in tailStart..<ow { tail += g[c] * s[c] }
      }
      gf[i * k + j] += laneSum((a0 + a1) + (a2 + a3)) + tail
    }
  }
}

/// `depthwiseFilterGradient` for 3 x 3 filters in one pass over the plane: each output-gradient vector is
/// loaded once and multiplied into all nine taps, one accumulator per tap (nine vector registers), and
/// each accumulator's lanes are added once per plane.
@inline(__always)
func depthwiseFilterGradient3(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, outputGradient gy: UnsafePointer<Float>, oh: Int, ow: Int,
  into gf: UnsafeMutablePointer<Float>
) {
  let down = t.tapRows * t.pitch
  let rowPitch = t.rowStep * t.pitch
  let (o0, o1, o2) = (t[0], t[1], t[2])
  let vectorEnd = ow / 8 * 8
  var a0 = SIMD8<Float>()
  var a1 = a0
  var a2 = a0
  var a3 = a0
  var a4 = a0
  var a5 = a0
  var a6 = a0
  var a7 = a0
  var a8 = a0
  for r in 0..<oh {
    let g0 = gy + r * ow
    let p = plane + r * rowPitch
    let q = p + down
    let u = q + down
    var v = 0
    while v < vectorEnd {
      let g = load8(g0 + v)
      a0 = madd(a0, g, load8(p + o0 + v))
      a1 = madd(a1, g, load8(p + o1 + v))
      a2 = madd(a2, g, load8(p + o2 + v))
      a3 = madd(a3, g, load8(q + o0 + v))
      a4 = madd(a4, g, load8(q + o1 + v))
      a5 = madd(a5, g, load8(q + o2 + v))
      a6 = madd(a6, g, load8(u + o0 + v))
      a7 = madd(a7, g, load8(u + o1 + v))
      a8 = madd(a8, g, load8(u + o2 + v))
      v += 8
    }
    // The last columns as a partial vector: gradient lanes past ow are zero, so they add nothing.
    if v < ow {
      var g = SIMD8<Float>()
      for c in v..<ow { g[c - v] = g0[c] }
      @inline(__always) func tail(_ row: UnsafePointer<Float>) -> SIMD8<Float> {
        var x = SIMD8<Float>()
        for c in v..<ow { x[c - v] = row[c] }
        return x
      }
      a0 = madd(a0, g, tail(p + o0))
      a1 = madd(a1, g, tail(p + o1))
      a2 = madd(a2, g, tail(p + o2))
      a3 = madd(a3, g, tail(q + o0))
      a4 = madd(a4, g, tail(q + o1))
      a5 = madd(a5, g, tail(q + o2))
      a6 = madd(a6, g, tail(u + o0))
      a7 = madd(a7, g, tail(u + o1))
      a8 = madd(a8, g, tail(u + o2))
    }
  }
  gf[0] += laneSum(a0)
  gf[1] += laneSum(a1)
  gf[2] += laneSum(a2)
  gf[3] += laneSum(a3)
  gf[4] += laneSum(a4)
  gf[5] += laneSum(a5)
  gf[6] += laneSum(a6)
  gf[7] += laneSum(a7)
  gf[8] += laneSum(a8)
}

/// `depthwiseFilterGradient` for 5 x 5 filters: each output-gradient vector is loaded once and
/// multiplied into the 5 taps of a filter row, one accumulator per tap.
@inline(__always)
func depthwiseFilterGradient5(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, outputGradient gy: UnsafePointer<Float>, oh: Int, ow: Int,
  into gf: UnsafeMutablePointer<Float>
) {
  let pitch = t.pitch
  let vectorEnd = ow / 8 * 8
  for i in 0..<5 {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var a3 = SIMD8<Float>()
    var a4 = SIMD8<Float>()
    var s0: Float = 0
    var s1: Float = 0
    var s2: Float = 0
    var s3: Float = 0
    var s4: Float = 0
    let o0 = i * t.tapRows * pitch + t[0]
    let o1 = i * t.tapRows * pitch + t[1]
    let o2 = i * t.tapRows * pitch + t[2]
    let o3 = i * t.tapRows * pitch + t[3]
    let o4 = i * t.tapRows * pitch + t[4]
    for r in 0..<oh {
      let g0 = gy + r * ow
      let s = plane + r * t.rowStep * pitch
      var v = 0
      while v < vectorEnd {
        let g = load8(g0 + v)
        a0 = madd(a0, g, load8(s + o0 + v))
        a1 = madd(a1, g, load8(s + o1 + v))
        a2 = madd(a2, g, load8(s + o2 + v))
        a3 = madd(a3, g, load8(s + o3 + v))
        a4 = madd(a4, g, load8(s + o4 + v))
        v += 8
      }
      for c in vectorEnd..<ow {
        let gv = g0[c]
        s0 += gv * s[o0 + c]
        s1 += gv * s[o1 + c]
        s2 += gv * s[o2 + c]
        s3 += gv * s[o3 + c]
        s4 += gv * s[o4 + c]
      }
    }
    gf[i * 5 + 0] += laneSum(a0) + s0
    gf[i * 5 + 1] += laneSum(a1) + s1
    gf[i * 5 + 2] += laneSum(a2) + s2
    gf[i * 5 + 3] += laneSum(a3) + s3
    gf[i * 5 + 4] += laneSum(a4) + s4
  }
}
