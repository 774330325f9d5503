/// Plane-level loops shared by the convolution and pooling ops. All pointers are unchecked; callers
/// size the buffers.

/// Copies an h x w plane into the interior of a zeroed (h + 2p) x (w + 2p) plane. The border is left as is.
@inline(__always)
func padPlane(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, h: Int, w: Int, padding p: Int) {
  let wp = w + 2 * p
  for i in 0..<h {
    (dst + (i + p) * wp + p).update(from: src + i * w, count: w)
  }
}

/// a + b * c. (`addingProduct` would be a fused multiply-add, which without FMA hardware — the portable
/// x86-64 target — is a library call per lane.)
@inline(__always)
func madd(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> { a + b * c }

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// Where the taps of a depthwise window read a prepared input plane.
///
/// The plane has `pitch` floats per row; output row r reads rows r * rowStep + i * tapRows (in units of
/// rows); output column c of tap column j reads column c + columns[j]. Stride-2 planes are stored with
/// the even padded columns first and the odd ones after them (`deinterleaved`), so every tap reads
/// contiguous columns.
struct TapLayout {
  var pitch: Int
  var rowStep: Int
  var tapRows: Int
  /// Column offset of each tap column j (at most 7 taps).
  var columns: (Int, Int, Int, Int, Int, Int, Int)

  subscript(j: Int) -> Int {
    withUnsafeBytes(of: columns) { $0.load(fromByteOffset: j * MemoryLayout<Int>.stride, as: Int.self) }
  }

  /// The layout of a zero-padded plane of width `wp` for a window of `kernel` taps with `dilation`, read
  /// at `stride` 1 (plain rows) or 2 (deinterleaved rows).
  init(paddedWidth wp: Int, kernel k: Int, stride s: Int, dilation d: Int) {
    precondition(k <= 7 && (s == 1 || s == 2), "depthwise kernels support k <= 7 and stride 1 or 2")
    pitch = wp
    rowStep = s
    tapRows = d
    var cols = (0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &cols) { raw in
      let c = raw.bindMemory(to: Int.self)
      let even = (wp + 1) / 2
      for j in 0..<k {
        let t = j * d
        c[j] = s == 1 ? t : (t % 2 == 0 ? t / 2 : even + t / 2)
      }
    }
    columns = cols
  }
}

/// Copies an h x w plane into the interior of a padded plane of width w + 2p (rows offset by p), either
/// as is or with each padded row's even columns first and odd columns after (`deinterleave`). Only the
/// interior positions are written, so a border zeroed once stays zero.
@inline(__always)
func preparePlane(
  _ src: UnsafePointer<Float>, h: Int, w: Int, padding p: Int, deinterleave: Bool, into dst: UnsafeMutablePointer<Float>
) {
  let wp = w + 2 * p
  if !deinterleave {
    for i in 0..<h { (dst + (i + p) * wp + p).update(from: src + i * w, count: w) }
    return
  }
  let even = (wp + 1) / 2
  for i in 0..<h {
    let row = dst + (i + p) * wp
    let s = src + i * w
    for x in 0..<w {
      let pc = x + p
      row[(pc & 1) * even + (pc >> 1)] = s[x]
    }
  }
}

/// out[r, c] (= or +=) sum_{i,j} f[i, j] * plane[r * rowStep + i * tapRows, c + columns[j]] for an
/// oh x ow output with row pitch `outPitch`. Output rows are computed in registers, 32 columns at a time.
@inline(__always)
func depthwiseCorrelate(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, kernel k: Int, filter f: UnsafePointer<Float>,
  output out: UnsafeMutablePointer<Float>, outPitch: Int, oh: Int, ow: Int, accumulate: Bool
) {
  let pitch = t.pitch
  for r in 0..<oh {
    let base = plane + r * t.rowStep * pitch
    let o = out + r * outPitch
    var c = 0
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
      var a0 = SIMD8<Float>()
      var a1 = a0
      var b0 = a0
      var b1 = a0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        var j = 0
        while j + 1 < k {
          let p = row + t[j]
          let q = row + t[j + 1]
          let f0 = SIMD8<Float>(repeating: f[i * k + j])
          let f1 = SIMD8<Float>(repeating: f[i * k + j + 1])
          a0 = madd(a0, f0, load8(p))
          a1 = madd(a1, f0, load8(p + 8))
          b0 = madd(b0, f1, load8(q))
          b1 = madd(b1, f1, load8(q + 8))
          j += 2
        }
        if j < k {
          let p = row + t[j]
          let f0 = SIMD8<Float>(repeating: f[i * k + j])
          a0 = madd(a0, f0, load8(p))
          a1 = madd(a1, f0, load8(p + 8))
        }
      }
      a0 += b0
      a1 += b1
      if accumulate {
        a0 += load8(o + c)
        a1 += load8(o + c + 8)
      }
      store8(a0, o + c)
      store8(a1, o + c + 8)
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
    while c < ow {
      var s: Float = 0
      for i in 0..<k {
        let row = base + i * t.tapRows * pitch + c
        for j in 0..<k { s += f[i * k + j] * row[t[j]] }
      }
      o[c] = accumulate ? o[c] + s : s
      c += 1
    }
  }
}

/// df[i, j] += sum_{r, c} dy[r, c] * plane[r * rowStep + i * tapRows, c + columns[j]], four independent
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
      gf[i * k + j] += ((a0 + a1) + (a2 + a3)).sum() + tail
    }
  }
}

/// `depthwiseFilterGradient` for 3 x 3 filters: each output-gradient vector is loaded once and
/// multiplied into the 3 taps of a filter row, one accumulator per tap.
@inline(__always)
func depthwiseFilterGradient3(
  _ plane: UnsafePointer<Float>, layout t: TapLayout, outputGradient gy: UnsafePointer<Float>, oh: Int, ow: Int,
  into gf: UnsafeMutablePointer<Float>
) {
  let pitch = t.pitch
  let vectorEnd = ow / 8 * 8
  for i in 0..<3 {
    var a0 = SIMD8<Float>()
    var a1 = SIMD8<Float>()
    var a2 = SIMD8<Float>()
    var s0: Float = 0
    var s1: Float = 0
    var s2: Float = 0
    let o0 = i * t.tapRows * pitch + t[0]
    let o1 = i * t.tapRows * pitch + t[1]
    let o2 = i * t.tapRows * pitch + t[2]
    for r in 0..<oh {
      let g0 = gy + r * ow
      let s = plane + r * t.rowStep * pitch
      var v = 0
      while v < vectorEnd {
        let g = load8(g0 + v)
        a0 = madd(a0, g, load8(s + o0 + v))
        a1 = madd(a1, g, load8(s + o1 + v))
        a2 = madd(a2, g, load8(s + o2 + v))
        v += 8
      }
      for c in vectorEnd..<ow {
        let gv = g0[c]
        s0 += gv * s[o0 + c]
        s1 += gv * s[o1 + c]
        s2 += gv * s[o2 + c]
      }
    }
    gf[i * 3 + 0] += a0.sum() + s0
    gf[i * 3 + 1] += a1.sum() + s1
    gf[i * 3 + 2] += a2.sum() + s2
  }
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
    gf[i * 5 + 0] += a0.sum() + s0
    gf[i * 5 + 1] += a1.sum() + s1
    gf[i * 5 + 2] += a2.sum() + s2
    gf[i * 5 + 3] += a3.sum() + s3
    gf[i * 5 + 4] += a4.sum() + s4
  }
}

/// Gathers every s-th row and column of each h x w plane.
@inline(__always)
func subsample(
  _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, planes: Int, h: Int, w: Int, stride s: Int
) {
  let oh = (h - 1) / s + 1
  let ow = (w - 1) / s + 1
  for p in 0..<planes {
    let sp = src + p * h * w
    let dp = dst + p * oh * ow
    for i in 0..<oh {
      for j in 0..<ow { dp[i * ow + j] = sp[i * s * w + j * s] }
    }
  }
}

/// The adjoint of `subsample`: adds each value back at its strided position.
@inline(__always)
func scatterAdd(
  _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, planes: Int, h: Int, w: Int, stride s: Int
) {
  let oh = (h - 1) / s + 1
  let ow = (w - 1) / s + 1
  for p in 0..<planes {
    let sp = src + p * oh * ow
    let dp = dst + p * h * w
    for i in 0..<oh {
      for j in 0..<ow { dp[i * s * w + j * s] += sp[i * ow + j] }
    }
  }
}

/// col[(c*k + i)*k + j, oh*OW + ow] = x[c, oh*s - p + i*d, ow*s - p + j*d] (zero outside).
func im2col(
  _ x: UnsafePointer<Float>, channels: Int, h: Int, w: Int, geometry g: ConvGeometry, oh: Int, ow: Int,
  into col: UnsafeMutablePointer<Float>
) {
  let k = g.kernel
  var row = 0
  for c in 0..<channels {
    for i in 0..<k {
      for j in 0..<k {
        let dst = col + row * oh * ow
        for r in 0..<oh {
          let yy = r * g.stride - g.padding + i * g.dilation
          for q in 0..<ow {
            let xx = q * g.stride - g.padding + j * g.dilation
            dst[r * ow + q] = (yy >= 0 && yy < h && xx >= 0 && xx < w) ? x[(c * h + yy) * w + xx] : 0
          }
        }
        row += 1
      }
    }
  }
}

/// The adjoint of `im2col`: adds each column entry back into the image.
func col2imAdd(
  _ col: UnsafePointer<Float>, channels: Int, h: Int, w: Int, geometry g: ConvGeometry, oh: Int, ow: Int,
  into x: UnsafeMutablePointer<Float>
) {
  let k = g.kernel
  var row = 0
  for c in 0..<channels {
    for i in 0..<k {
      for j in 0..<k {
        let src = col + row * oh * ow
        for r in 0..<oh {
          let yy = r * g.stride - g.padding + i * g.dilation
          if yy < 0 || yy >= h { continue }
          for q in 0..<ow {
            let xx = q * g.stride - g.padding + j * g.dilation
            if xx >= 0 && xx < w { x[(c * h + yy) * w + xx] += src[r * ow + q] }
          }
        }
        row += 1
      }
    }
  }
}

/// Sum of n floats, eight lanes at a time (float reductions do not vectorise on their own).
@inline(__always)
func vectorSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
  var a0 = SIMD8<Float>()
  var a1 = a0
  var i = 0
  while i + 16 <= n {
    a0 += load8(p + i)
    a1 += load8(p + i + 8)
    i += 16
  }
  if i + 8 <= n {
    a0 += load8(p + i)
    i += 8
  }
  var s = (a0 + a1).sum()
  while i < n {
    s += p[i]
    i += 1
  }
  return s
}

/// Sum of (p[i] - m)^2 over n floats.
@inline(__always)
func vectorSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, mean m: Float) -> Float {
  let mv = SIMD8<Float>(repeating: m)
  var a0 = SIMD8<Float>()
  var a1 = a0
  var i = 0
  while i + 16 <= n {
    let d0 = load8(p + i) - mv
    let d1 = load8(p + i + 8) - mv
    a0 = madd(a0, d0, d0)
    a1 = madd(a1, d1, d1)
    i += 16
  }
  if i + 8 <= n {
    let d0 = load8(p + i) - mv
    a0 = madd(a0, d0, d0)
    i += 8
  }
  var s = (a0 + a1).sum()
  while i < n {
    s += (p[i] - m) * (p[i] - m)
    i += 1
  }
  return s
}

/// Dot product of n floats.
@inline(__always)
func vectorDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
  var a0 = SIMD8<Float>()
  var a1 = a0
  var i = 0
  while i + 16 <= n {
    a0 = madd(a0, load8(a + i), load8(b + i))
    a1 = madd(a1, load8(a + i + 8), load8(b + i + 8))
    i += 16
  }
  if i + 8 <= n {
    a0 = madd(a0, load8(a + i), load8(b + i))
    i += 8
  }
  var s = (a0 + a1).sum()
  while i < n {
    s += a[i] * b[i]
    i += 1
  }
  return s
}

/// (sum g, sum g * (x - m)) over n floats in one pass.
@inline(__always)
func vectorSumAndCenteredDot(
  _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean m: Float
) -> (Float, Float) {
  let mv = SIMD8<Float>(repeating: m)
  var s0 = SIMD8<Float>()
  var s1 = s0
  var t0 = s0
  var t1 = s0
  var i = 0
  while i + 16 <= n {
    let g0 = load8(g + i)
    let g1 = load8(g + i + 8)
    s0 += g0
    s1 += g1
    t0 = madd(t0, g0, load8(x + i) - mv)
    t1 = madd(t1, g1, load8(x + i + 8) - mv)
    i += 16
  }
  if i + 8 <= n {
    let g0 = load8(g + i)
    s0 += g0
    t0 = madd(t0, g0, load8(x + i) - mv)
    i += 8
  }
  var a = (s0 + s1).sum()
  var b = (t0 + t1).sum()
  while i < n {
    a += g[i]
    b += g[i] * (x[i] - m)
    i += 1
  }
  return (a, b)
}

/// dst[i] (= or +=) a * src[i] + b.
@inline(__always)
func vectorAffine(
  _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, shift b: Float,
  accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  var i = 0
  if accumulate {
    while i + 8 <= n {
      store8(load8(dst + i) + madd(bv, av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] += a * src[i] + b
      i += 1
    }
  } else {
    while i + 8 <= n {
      store8(madd(bv, av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] = a * src[i] + b
      i += 1
    }
  }
}

/// dst[i] (= or +=) a * src[i].
@inline(__always)
func vectorScaleAdd(
  _ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  var i = 0
  if accumulate {
    while i + 16 <= n {
      store8(madd(load8(dst + i), av, load8(src + i)), dst + i)
      store8(madd(load8(dst + i + 8), av, load8(src + i + 8)), dst + i + 8)
      i += 16
    }
    while i + 8 <= n {
      store8(madd(load8(dst + i), av, load8(src + i)), dst + i)
      i += 8
    }
    while i < n {
      dst[i] += a * src[i]
      i += 1
    }
  } else {
    while i + 8 <= n {
      store8(av * load8(src + i), dst + i)
      i += 8
    }
    while i < n {
      dst[i] = a * src[i]
      i += 1
    }
  }
}

/// dst[i] (= or +=) a * g[i] + b * x[i] + c.
@inline(__always)
func vectorLinear2(
  _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, a: Float,
  b: Float, c: Float, accumulate: Bool
) {
  let av = SIMD8<Float>(repeating: a)
  let bv = SIMD8<Float>(repeating: b)
  let cv = SIMD8<Float>(repeating: c)
  var i = 0
  while i + 8 <= n {
    var v = madd(madd(cv, av, load8(g + i)), bv, load8(x + i))
    if accumulate { v += load8(dst + i) }
    store8(v, dst + i)
    i += 8
  }
  while i < n {
    let v = a * g[i] + b * x[i] + c
    dst[i] = accumulate ? dst[i] + v : v
    i += 1
  }
}

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
