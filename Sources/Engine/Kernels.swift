/// Plane-level loops shared by the convolution and pooling ops. All pointers are unchecked; callers
/// size the buffers.

/// Copies an h x w plane into the interior of a zeroed (h + 2p) x (w + 2p) plane. The border is left as is.
@inline(__always)
func padPlane(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, h: Int, w: Int, padding p: Int) {
  let wp = w + 2 * p
  for i in 0..<h {
    vectorCopy(src + i * w, dst + (i + p) * wp + p, w)
  }
}

/// a + b * c. Built with `TAILNAS_FMA` (the Makefile defines it with `-target-cpu haswell`, on machines
/// with AVX2 and FMA) this is one fused multiply-add instruction per vector; Swift does not contract
/// a + b * c on its own. Without it — the portable x86-64 target — `addingProduct` would be a library
/// call per lane, so the portable build multiplies and adds.
/// One definition for every vector width (8 lanes, and the 16-lane `WideVector` of AVX-512 builds).
@inline(__always)
func madd<V: SIMD>(_ a: V, _ b: V, _ c: V) -> V where V.Scalar == Float {
  #if TAILNAS_FMA
    a.addingProduct(b, c)
  #else
    a + b * c
  #endif
}

/// The sum of a vector's lanes as a tree of half-width additions, inlined where it is used: the standard
/// library's `sum()` is an out-of-line call that adds the lanes one at a time, and the kernels take it once
/// per accumulator (sixteen times per block of the transposed-B product).
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float { laneSum(v.lowHalf + v.highHalf) }

@inline(__always)
func laneSum(_ v: SIMD8<Float>) -> Float {
  let q = v.lowHalf + v.highHalf
  let p = q.lowHalf + q.highHalf
  return p[0] + p[1]
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
  UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}

/// An unaligned load of a vector of any width from p, for kernels generic over 8 and 16 lanes.
@inline(__always)
func loadVector<V: SIMD>(_ p: UnsafePointer<Float>) -> V where V.Scalar == Float {
  UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

/// An unaligned store of a vector of any width at p, for kernels generic over 8 and 16 lanes.
@inline(__always)
func storeVector<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
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
