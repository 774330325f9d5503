import Foundation

extension Tape {
  /// 3x3-style max pooling with implicit -inf padding; the gradient goes to the first maximum of each
  /// window in row-major order, as PyTorch.
  public func maxPool(_ x: Tensor, kernel: Int = 3, stride: Int, padding: Int = 1) -> Tensor {
    pool(x, geometry: ConvGeometry(kernel: kernel, stride: stride, padding: padding), isMax: true)
  }

  /// Average pooling that excludes padding from the divisor (`count_include_pad=False`).
  public func averagePool(_ x: Tensor, kernel: Int = 3, stride: Int, padding: Int = 1) -> Tensor {
    pool(x, geometry: ConvGeometry(kernel: kernel, stride: stride, padding: padding), isMax: false)
  }

  private func pool(_ x: Tensor, geometry g: ConvGeometry, isMax: Bool) -> Tensor {
    let (n, c, h, w) = x.nchw
    let oh = g.outputSize(h)
    let ow = g.outputSize(w)
    let grad = needsGradient(x)
    let y = output([n, c, oh, ow], grad: grad)
    let planes = n * c
    parallel.forEachRange(planes) { _, r in
      for p in r {
        poolPlane(
          x.data + p * h * w, h: h, w: w, geometry: g, oh: oh, ow: ow, isMax: isMax,
          forward: y.data + p * oh * ow, backwardFrom: nil, into: nil)
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gx = x.gradient().data
        parallel.forEachRange(planes) { _, r in
          for p in r {
            poolPlane(
              x.data + p * h * w, h: h, w: w, geometry: g, oh: oh, ow: ow, isMax: isMax, forward: nil,
              backwardFrom: gy.data + p * oh * ow, into: gx + p * h * w)
          }
        }
      }
    }
    return y
  }
}

/// One plane of pooling. Forward writes `forward`; backward adds the window gradients of `backwardFrom`
/// into `into`. Window rows and columns are clipped to the plane, which is also the divisor for averages.
@inline(__always)
private func poolPlane(
  _ x: UnsafePointer<Float>, h: Int, w: Int, geometry g: ConvGeometry, oh: Int, ow: Int, isMax: Bool,
  forward y: UnsafeMutablePointer<Float>?, backwardFrom gy: UnsafePointer<Float>?,
  into gx: UnsafeMutablePointer<Float>?
) {
  for r in 0..<oh {
    let y0 = max(r * g.stride - g.padding, 0)
    let y1 = min(r * g.stride - g.padding + g.kernel, h)
    for q in 0..<ow {
      let x0 = max(q * g.stride - g.padding, 0)
      let x1 = min(q * g.stride - g.padding + g.kernel, w)
      if isMax {
        var best = -Float.infinity
        var at = y0 * w + x0
        for i in y0..<y1 {
          for j in x0..<x1 where x[i * w + j] > best {
            best = x[i * w + j]
            at = i * w + j
          }
        }
        if let y { y[r * ow + q] = best }
        if let gy, let gx { gx[at] += gy[r * ow + q] }
      } else {
        let inv = 1 / Float((y1 - y0) * (x1 - x0))
        if let y {
          var s: Float = 0
          for i in y0..<y1 { for j in x0..<x1 { s += x[i * w + j] } }
          y[r * ow + q] = s * inv
        }
        if let gy, let gx {
          let gv = gy[r * ow + q] * inv
          for i in y0..<y1 { for j in x0..<x1 { gx[i * w + j] += gv } }
        }
      }
    }
  }
}
