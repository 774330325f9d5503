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
