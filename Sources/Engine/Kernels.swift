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

/// y[oh, ow] = sum_{i,j} f[i, j] * padded[oh*s + i*d, ow*s + j*d].
@inline(__always)
func depthwisePlaneForward(
  _ padded: UnsafePointer<Float>, wp: Int, filter: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
  oh: Int, ow: Int, geometry g: ConvGeometry
) {
  let k = g.kernel
  let s = g.stride
  let d = g.dilation
  for r in 0..<oh {
    let out = output + r * ow
    out.update(repeating: 0, count: ow)
    for i in 0..<k {
      let row = padded + (r * s + i * d) * wp
      for j in 0..<k {
        let f = filter[i * k + j]
        let src = row + j * d
        if s == 1 {
          for c in 0..<ow { out[c] += f * src[c] }
        } else {
          for c in 0..<ow { out[c] += f * src[c * s] }
        }
      }
    }
  }
}

/// dpadded[oh*s + i*d, ow*s + j*d] += f[i, j] * dy[oh, ow].
@inline(__always)
func depthwisePlaneInputGradient(
  _ gy: UnsafePointer<Float>, oh: Int, ow: Int, filter: UnsafePointer<Float>, geometry g: ConvGeometry,
  into gpadded: UnsafeMutablePointer<Float>, wp: Int
) {
  let k = g.kernel
  let s = g.stride
  let d = g.dilation
  for r in 0..<oh {
    let gyr = gy + r * ow
    for i in 0..<k {
      let row = gpadded + (r * s + i * d) * wp
      for j in 0..<k {
        let f = filter[i * k + j]
        let dst = row + j * d
        if s == 1 {
          for c in 0..<ow { dst[c] += f * gyr[c] }
        } else {
          for c in 0..<ow { dst[c * s] += f * gyr[c] }
        }
      }
    }
  }
}

/// df[i, j] += sum_{oh, ow} dy[oh, ow] * padded[oh*s + i*d, ow*s + j*d].
@inline(__always)
func depthwisePlaneFilterGradient(
  _ padded: UnsafePointer<Float>, wp: Int, outputGradient gy: UnsafePointer<Float>, oh: Int, ow: Int,
  geometry g: ConvGeometry, into gf: UnsafeMutablePointer<Float>
) {
  let k = g.kernel
  let s = g.stride
  let d = g.dilation
  for i in 0..<k {
    for j in 0..<k {
      var acc = SIMD8<Float>()
      var tail: Float = 0
      for r in 0..<oh {
        let src = padded + (r * s + i * d) * wp + j * d
        let gyr = gy + r * ow
        if s == 1 {
          var c = 0
          while c + 8 <= ow {
            let a = UnsafeRawPointer(src + c).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(gyr + c).loadUnaligned(as: SIMD8<Float>.self)
            acc = acc.addingProduct(a, b)
            c += 8
          }
          while c < ow {
            tail += src[c] * gyr[c]
            c += 1
          }
        } else {
          for c in 0..<ow { tail += src[c * s] * gyr[c] }
        }
      }
      gf[i * k + j] += acc.sum() + tail
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
