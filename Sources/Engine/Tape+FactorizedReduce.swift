import Foundation

extension Tape {
  /// DARTS' `FactorizedReduce` without its batch norm, as one op: with r = relu(x) when `rectify` (else x)
  /// of even height and width, y = concat(W_1 E, W_2 O) along channels, where E = r[:, :, 0::2, 0::2] and
  /// O = r[:, :, 1::2, 1::2] (the 1x1 stride-2 convolutions of r and of r[:, :, 1:, 1:]), W_1 and W_2
  /// [C_out / 2, C_in, 1, 1].
  ///
  /// Each input plane is read once, row after row, and split into its E and O planes in per-thread scratch:
  /// the two strided convolutions done apart read every other row of every plane twice, a pattern the
  /// hardware prefetcher does not follow from page to page. Planes come from a concatenation's parts in
  /// place (`PlaneMap`), and the output is one dense tensor.
  ///
  /// Backward: dW_1 = sum_n dY_1[n] E[n]^T, dW_2 = sum_n dY_2[n] O[n]^T; dE = W_1^T dY_1 and dO = W_2^T dY_2
  /// go back to their positions of dx (where r > 0 when rectifying), every other position of dx is 0;
  /// each plane of dx is written in one pass. Weight gradients are summed per thread, then in thread order.
  public func factorizedReduce(_ x: Tensor, _ w1: Tensor, _ w2: Tensor, rectify: Bool) -> Tensor {
    let (n, cin, h, w) = x.nchw
    require(h % 2 == 0 && w % 2 == 0, "factorizedReduce: height and width must be even, got \(x.shape)")
    require(
      w1.shape == w2.shape && w1.shape.count == 4 && w1.shape[1] == cin && w1.shape[2] == 1 && w1.shape[3] == 1,
      "factorizedReduce: weights \(w1.shape), \(w2.shape) for input \(x.shape)")
    let half = w1.shape[0]
    let cout = 2 * half
    let (oh, ow) = (h / 2, w / 2)
    let ohw = oh * ow
    let pitch = gemmPitch(ohw)
    let grad = needsGradient(x, w1, w2)
    let y = output([n, cout, oh, ow], grad: grad)
    let scratch = self.scratch
    let map = PlaneMap(x)
    let sources = map.sources(tape: self)
    let (w1p, w2p, yp) = (w1.data, w2.data, y.data)
    // The output's shifted sums per plane, for the batch norm that reads it (`PlaneMoments`).
    let moments = PlaneMoments(images: n, channels: cout, planeSize: ohw)
    /// E and O of image b: channel ch at even + ch * pitch and odd + ch * pitch.
    @inline(__always) func split(_ b: Int, even: UnsafeMutablePointer<Float>, odd: UnsafeMutablePointer<Float>) {
      for ch in 0..<cin {
        let plane = map.planeStart(sources[map.tensorOf[ch]], image: b, channel: ch)
        splitPlane(plane, h: h, w: w, rectify: rectify, even: even + ch * pitch, odd: odd + ch * pitch)
      }
    }
    parallel.forEachRange(n) { part, r in
      let even = scratch.buffer(part: part, slot: 0, count: cin * pitch)
      let odd = scratch.buffer(part: part, slot: 1, count: cin * pitch)
      for b in r {
        split(b, even: even, odd: odd)
        let out = yp + b * cout * ohw
        smallGemm(m: half, n: ohw, k: cin, w1p, lda: cin, even, ldb: pitch, out, ldc: ohw, accumulate: false)
        smallGemm(
          m: half, n: ohw, k: cin, w2p, lda: cin, odd, ldb: pitch, out + half * ohw, ldc: ohw, accumulate: false)
        moments.record(image: b, planes: out)
      }
    }
    y.planeMoments = moments
    guard grad else { return y }
    let group = max(1, 1024 / max(1, ohw))
    record(y, detail: "\(oh)x\(ow) c\(cin)", flops: 2 * Double(y.count * cin)) { [parallel] in
      guard let gy = y.grad else { return }
      let targets = x.requiresGrad ? map.gradientTargets() : []
      let needX = targets.contains { $0 != nil }
      let needW1 = w1.requiresGrad
      let needW2 = w2.requiresGrad
      let wsize = half * cin
      let parts = parallel.parts(n)
      let gyp = gy.data
      // W_1^T and W_2^T, for dE = W_1^T dY_1 and dO = W_2^T dY_2.
      let transposed = scratch.buffer(part: parts, slot: 4, count: 2 * wsize)
      if needX {
        for o in 0..<half {
          for i in 0..<cin {
            transposed[i * half + o] = w1p[o * cin + i]
            transposed[wsize + i * half + o] = w2p[o * cin + i]
          }
        }
      }
      parallel.forEachRange(n) { part, r in
        let chunk = min(group, r.count)
        let gw = scratch.buffer(part: part, slot: 5, count: 2 * wsize)
        gw.update(repeating: 0, count: 2 * wsize)
        let evens = scratch.buffer(part: part, slot: 0, count: chunk * cin * pitch)
        let odds = scratch.buffer(part: part, slot: 1, count: chunk * cin * pitch)
        let dEven = scratch.buffer(part: part, slot: 2, count: cin * pitch)
        let dOdd = scratch.buffer(part: part, slot: 3, count: cin * pitch)
        var first = r.lowerBound
        while first < r.upperBound {
          let images = first..<min(first + chunk, r.upperBound)
          for (i, b) in images.enumerated() {
            split(b, even: evens + i * cin * pitch, odd: odds + i * cin * pitch)
          }
          let dy = gyp + first * cout * ohw
          if needW1 {
            smallGemmTransposedB(
              m: half, n: cin, k: ohw, images: images.count, dy, lda: ohw, aImageStride: cout * ohw, evens, ldb: pitch,
              bImageStride: cin * pitch, gw, ldc: cin)
          }
          if needW2 {
            smallGemmTransposedB(
              m: half, n: cin, k: ohw, images: images.count, dy + half * ohw, lda: ohw, aImageStride: cout * ohw, odds,
              ldb: pitch, bImageStride: cin * pitch, gw + wsize, ldc: cin)
          }
          for (i, b) in images.enumerated() where needX {
            let dyb = gyp + b * cout * ohw
            smallGemm(
              m: cin, n: ohw, k: half, transposed, lda: half, dyb, ldb: ohw, dEven, ldc: pitch, accumulate: false)
            smallGemm(
              m: cin, n: ohw, k: half, transposed + wsize, lda: half, dyb + half * ohw, ldb: ohw, dOdd, ldc: pitch,
              accumulate: false)
            for ch in 0..<cin {
              guard let (gx, accumulate) = targets[map.tensorOf[ch]] else { continue }
              let at = i * cin * pitch + ch * pitch
              mergePlane(
                even: dEven + ch * pitch, odd: dOdd + ch * pitch,
                masks: rectify ? (UnsafePointer(evens + at), UnsafePointer(odds + at)) : nil, h: h, w: w,
                into: map.planeStart(gx, image: b, channel: ch), accumulate: accumulate)
            }
          }
          first = images.upperBound
        }
      }
      if needW1 { scratch.addParts(slot: 5, parts: parts, count: wsize, into: w1.gradient().data) }
      if needW2 {
        let g2 = w2.gradient().data
        for part in 0..<parts {
          let p = scratch.buffer(part: part, slot: 5, count: 2 * wsize) + wsize
          for i in 0..<wsize { g2[i] += p[i] }
        }
      }
    }
    return y
  }
}

/// Splits an h x w plane (h, w even) into its even-even and odd-odd subplanes, each h/2 x w/2 and dense:
/// even[i, j] = v[2i, 2j], odd[i, j] = v[2i + 1, 2j + 1], v = relu(src) when `rectify` (NaN kept) else src.
/// Rows are read whole, sixteen values per vector split into its even and odd lanes.
@inline(__always)
func splitPlane(
  _ src: UnsafePointer<Float>, h: Int, w: Int, rectify: Bool, even: UnsafeMutablePointer<Float>,
  odd: UnsafeMutablePointer<Float>
) {
  let ow = w / 2
  let zero = SIMD8<Float>()
  @inline(__always) func fix(_ v: SIMD8<Float>) -> SIMD8<Float> {
    rectify ? v.replacing(with: zero, where: v .< zero) : v
  }
  for i in 0..<(h / 2) {
    let top = src + 2 * i * w
    let bottom = top + w
    let e = even + i * ow
    let o = odd + i * ow
    var j = 0
    while 2 * j + 16 <= w {
      let a = UnsafeRawPointer(top + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
      let b = UnsafeRawPointer(bottom + 2 * j).loadUnaligned(as: SIMD16<Float>.self)
      store8(fix(a.evenHalf), e + j)
      store8(fix(b.oddHalf), o + j)
      j += 8
    }
    while j < ow {
      let a = top[2 * j]
      let b = bottom[2 * j + 1]
      e[j] = rectify && a < 0 ? 0 : a
      o[j] = rectify && b < 0 ? 0 : b
      j += 1
    }
  }
}

/// The adjoint of `splitPlane` into an h x w plane: dst[2i, 2j] (= or +=) even[i, j], dst[2i + 1, 2j + 1]
/// (= or +=) odd[i, j], each zeroed where its mask (the split values, relu(x)) is not above zero, and 0 (or
/// nothing added) at the other positions. Every row of dst is written in one pass.
@inline(__always)
func mergePlane(
  even: UnsafePointer<Float>, odd: UnsafePointer<Float>, masks: (UnsafePointer<Float>, UnsafePointer<Float>)?,
  h: Int, w: Int, into dst: UnsafeMutablePointer<Float>, accumulate: Bool
) {
  let ow = w / 2
  let zero = SIMD8<Float>()
  for i in 0..<(h / 2) {
    let top = dst + 2 * i * w
    let bottom = top + w
    let row = i * ow
    var j = 0
    // Eight columns of each subplane at a time, masked, spread over the even (top) or odd (bottom) lanes
    // of sixteen.
    while j + 8 <= ow {
      var e = load8(even + row + j)
      var o = load8(odd + row + j)
      if let (me, mo) = masks {
        e = zero.replacing(with: e, where: load8(me + row + j) .> zero)
        o = zero.replacing(with: o, where: load8(mo + row + j) .> zero)
      }
      var upper = SIMD16<Float>()
      var lower = SIMD16<Float>()
      upper.evenHalf = e
      lower.oddHalf = o
      let pu = UnsafeMutableRawPointer(top + 2 * j)
      let pl = UnsafeMutableRawPointer(bottom + 2 * j)
      if accumulate {
        upper += pu.loadUnaligned(as: SIMD16<Float>.self)
        lower += pl.loadUnaligned(as: SIMD16<Float>.self)
      }
      pu.storeBytes(of: upper, as: SIMD16<Float>.self)
      pl.storeBytes(of: lower, as: SIMD16<Float>.self)
      j += 8
    }
    while j < ow {
      var a = even[row + j]
      var b = odd[row + j]
      if let (me, mo) = masks {
        if !(me[row + j] > 0) { a = 0 }
        if !(mo[row + j] > 0) { b = 0 }
      }
      let c = 2 * j
      if accumulate {
        top[c] += a
        bottom[c + 1] += b
      } else {
        top[c] = a
        top[c + 1] = 0
        bottom[c] = 0
        bottom[c + 1] = b
      }
      j += 1
    }
  }
}
