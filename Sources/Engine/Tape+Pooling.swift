import Foundation

extension Tape {
  /// 3x3-style max pooling with implicit -inf padding; the gradient goes to the first maximum of each
  /// window in row-major order, as PyTorch.
  public func maxPool(_ x: Tensor, kernel: Int = 3, stride: Int, padding: Int = 1) -> Tensor {
    materialize(x)
    let g = ConvGeometry(kernel: kernel, stride: stride, padding: padding)
    guard stride <= 2, kernel <= 7 else { return referencePool(x, geometry: g, isMax: true) }
    let plan = PoolPlan(x, geometry: g)
    let (h, w, oh, ow, hp, wp, planes) = (plan.h, plan.w, plan.oh, plan.ow, plan.hp, plan.wp, plan.planes)
    let layout = plan.layout
    let grad = needsGradient(x)
    let y = output(plan.outputShape, grad: grad)
    let scratch = self.scratch
    let ohw = plan.ohw
    // With a gradient, the forward records each window's argmax tap (one byte per output) for backward.
    let taps = grad ? Tensor(uninitialized: [(planes * ohw + 3) / 4]) : nil
    let tapBytes = taps.map { UnsafeMutableRawPointer($0.data) }
    let moments = PlaneMoments(images: plan.outputShape[0], channels: plan.outputShape[1], planeSize: ohw)
    parallel.forEachRange(planes, minPerPart: 8) { part, r in
      let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
      padded.update(repeating: -.infinity, count: hp * wp)
      for p in r {
        preparePlane(x.data + p * h * w, h: h, w: w, padding: padding, deinterleave: stride == 2, into: padded)
        if let tapBytes {
          maxCorrelateRecordingTaps(
            padded, layout: layout, kernel: kernel, output: y.data + p * ohw, taps: tapBytes + p * ohw, oh: oh,
            ow: ow)
        } else {
          maxCorrelate(padded, layout: layout, kernel: kernel, output: y.data + p * ohw, oh: oh, ow: ow)
        }
        moments.record(plane: p, values: y.data + p * ohw)
      }
    }
    y.planeMoments = moments
    if grad, let taps {
      record(y, detail: "k\(kernel) s\(stride) \(oh)x\(ow)") { [parallel] in
        guard let gy = y.grad else { return }
        let (gx, accumulate) = x.gradientTarget()
        let tapBytes = UnsafeRawPointer(taps.data)
        parallel.forEachRange(planes, minPerPart: 8) { _, r in
          if !accumulate { (gx + r.lowerBound * h * w).update(repeating: 0, count: r.count * h * w) }
          for p in r {
            maxPoolScatterTaps(
              taps: tapBytes + p * ohw, outputGradient: gy.data + p * ohw, oh: oh, ow: ow, kernel: kernel,
              stride: stride, padding: padding, h: h, w: w, into: gx + p * h * w)
          }
        }
      }
    }
    return y
  }

  /// Average pooling that excludes padding from the divisor (`count_include_pad=False`), as PyTorch
  /// `avg_pool2d`.
  ///
  /// Forward: a window sum over a zero-padded plane times the reciprocal count of each position.
  /// Backward: the scaled output gradient, zero-upsampled by the stride and padded by k - 1 - p,
  /// summed over the window. Without padding (the auxiliary head's 5x5 at stride 3 or 2, where every
  /// window lies inside the plane and the divisor is k^2 with or without `count_include_pad`) a direct
  /// window-sum kernel runs instead, at any stride.
  public func averagePool(_ x: Tensor, kernel: Int = 3, stride: Int, padding: Int = 1) -> Tensor {
    materialize(x)
    if padding == 0 { return unpaddedAveragePool(x, kernel: kernel, stride: stride) }
    let g = ConvGeometry(kernel: kernel, stride: stride, padding: padding)
    guard stride <= 2, kernel <= 7, padding <= kernel - 1 else {
      return referencePool(x, geometry: g, isMax: false)
    }
    let plan = PoolPlan(x, geometry: g)
    let (h, w, oh, ow, hp, wp, planes) = (plan.h, plan.w, plan.oh, plan.ow, plan.hp, plan.wp, plan.planes)
    let layout = plan.layout
    let grad = needsGradient(x)
    let y = output(plan.outputShape, grad: grad)
    let scratch = self.scratch
    var reciprocal = [Float](repeating: 0, count: oh * ow)
    for r in 0..<oh {
      let rows = min(r * stride - padding + kernel, h) - max(r * stride - padding, 0)
      for q in 0..<ow {
        let cols = min(q * stride - padding + kernel, w) - max(q * stride - padding, 0)
        reciprocal[r * ow + q] = 1 / Float(rows * cols)
      }
    }
    let ones = [Float](repeating: 1, count: kernel * kernel)
    let ohw = plan.ohw
    let moments = PlaneMoments(images: plan.outputShape[0], channels: plan.outputShape[1], planeSize: ohw)
    reciprocal.withUnsafeBufferPointer { rb in
      ones.withUnsafeBufferPointer { ob in
        let rp = rb.baseAddress!
        let op = ob.baseAddress!
        parallel.forEachRange(planes, minPerPart: 8) { part, r in
          let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
          padded.update(repeating: 0, count: hp * wp)
          for p in r {
            let out = y.data + p * ohw
            preparePlane(x.data + p * h * w, h: h, w: w, padding: padding, deinterleave: stride == 2, into: padded)
            depthwiseCorrelate(
              padded, layout: layout, kernel: kernel, filter: op, output: out, outPitch: ow, oh: oh, ow: ow,
              accumulate: false)
            for i in 0..<ohw { out[i] *= rp[i] }
            moments.record(plane: p, values: out)
          }
        }
      }
    }
    y.planeMoments = moments
    if grad {
      let back = kernel - 1 - padding
      let hg = h + kernel - 1
      let wg = w + kernel - 1
      let gradientLayout = TapLayout(paddedWidth: wg, kernel: kernel, stride: 1, dilation: 1)
      record(y, detail: "k\(kernel) s\(stride) \(oh)x\(ow)") { [parallel] in
        guard let gy = y.grad else { return }
        let (gx, accumulate) = x.gradientTarget()
        reciprocal.withUnsafeBufferPointer { rb in
          ones.withUnsafeBufferPointer { ob in
            let rp = rb.baseAddress!
            let op = ob.baseAddress!
            parallel.forEachRange(planes, minPerPart: 8) { part, r in
              let gplane = scratch.buffer(part: part, slot: 1, count: hg * wg)
              gplane.update(repeating: 0, count: hg * wg)
              for p in r {
                let gyp = gy.data + p * ohw
                for i in 0..<oh {
                  let row = gplane + (back + stride * i) * wg + back
                  for j in 0..<ow { row[stride * j] = gyp[i * ow + j] * rp[i * ow + j] }
                }
                depthwiseCorrelate(
                  gplane, layout: gradientLayout, kernel: kernel, filter: op, output: gx + p * h * w, outPitch: w,
                  oh: h, ow: w, accumulate: accumulate)
              }
            }
          }
        }
      }
    }
    return y
  }

  /// Average pooling without padding, as PyTorch `avg_pool2d(x, k, stride=s, padding=0)`:
  /// y[r, q] = (1 / k^2) sum_{i, j < k} x[r s + i, q s + j], output (H - k) / s + 1 by (W - k) / s + 1.
  /// dx[r s + i, q s + j] += dy[r, q] / k^2 for every window (windows overlap when s < k; input rows and
  /// columns past the last window get no gradient). Work is split over the N C planes; per output row the
  /// kernels of `Kernels+Pooling.swift` add whole rows as vectors (see `averagePoolUnpadded`).
  private func unpaddedAveragePool(_ x: Tensor, kernel k: Int, stride s: Int) -> Tensor {
    let (n, c, h, w) = x.nchw
    require(k >= 1 && s >= 1, "averagePool: kernel \(k) and stride \(s) must be positive")
    require(k <= h && k <= w, "averagePool: kernel \(k) larger than the \(h) x \(w) input")
    let oh = (h - k) / s + 1
    let ow = (w - k) / s + 1
    let used = (ow - 1) * s + k
    let scale = 1 / Float(k * k)
    let planes = n * c
    let hw = h * w
    let ohw = oh * ow
    let grad = needsGradient(x)
    let y = output([n, c, oh, ow], grad: grad)
    let scratch = self.scratch
    let xp = x.data
    let yp = y.data
    parallel.forEachRange(planes, minPerPart: 16) { part, r in
      let sums = scratch.buffer(part: part, slot: 0, count: used)
      for p in r {
        averagePoolUnpadded(
          xp + p * hw, w: w, kernel: k, stride: s, oh: oh, ow: ow, scale: scale, columnSums: sums, into: yp + p * ohw)
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let (gx, accumulate) = x.gradientTarget()
        let gyp = gy.data
        parallel.forEachRange(planes, minPerPart: 16) { part, r in
          let row = scratch.buffer(part: part, slot: 0, count: used)
          if !accumulate { (gx + r.lowerBound * hw).update(repeating: 0, count: r.count * hw) }
          for p in r {
            averagePoolUnpaddedGradient(
              gyp + p * ohw, w: w, kernel: k, stride: s, oh: oh, ow: ow, scale: scale, row: row, into: gx + p * hw)
          }
        }
      }
    }
    return y
  }

  /// The plain clipped-window pooling for geometries the vector kernels do not cover.
  private func referencePool(_ x: Tensor, geometry g: ConvGeometry, isMax: Bool) -> Tensor {
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
