import Foundation

extension Tape {
  /// The body of DARTS' `DilConv` (and of each half of `SepConv`) without its batch norm, as one op:
  /// z = W_p (w_d (*) r), r = relu(x) when `rectify` (else r = x), with w_d the depthwise k x k filters
  /// [C, 1, k, k] (stride, padding, dilation) and W_p the 1x1 weights [C_out, C, 1, 1].
  ///
  /// Image by image, each plane of r is made while it is copied into the padded scratch plane, the
  /// depthwise output d = w_d (*) r of the image stays in a per-thread scratch buffer, and the pointwise
  /// product writes z: neither r nor d is ever stored in a tensor. Backward recomputes d instead of keeping
  /// it (the depthwise pass is a small fraction of the 1x1 products), so it reads x and dz and writes dx:
  ///
  ///   dW_p = sum_n dz[n] d[n]^T,   dd = W_p^T dz,
  ///   dw_d[c] = sum over the image of dd[c] correlated with r[c] (as `depthwiseConv`),
  ///   dr[c] = dd[c] zero-upsampled by the stride, padded by d(k-1) - p, correlated with the flipped filter,
  ///   dx = dr where x > 0 (rectify) or dr.
  ///
  /// The filter gradients are summed per thread, then in thread order: deterministic for a fixed thread
  /// count. Results match the three separate ops to rounding (the same kernels, the same sums per image).
  ///
  /// With `normalizing` the op reads its input through a batch norm first, r = relu(BN(x)) (the second
  /// half of a `SepConv` after the first half's BN): BN(x)_c = a_c x_c + b_c, a = gamma s, b = beta - a m,
  /// s = 1 / sqrt(var + eps), with the statistics and running-statistics update of `batchNorm`, is applied
  /// while each plane is copied into the padded scratch plane, so BN(x) is never stored. Backward writes
  /// g = dBN(x) (the gradient above, where a x + b > 0) and takes BN's sums S = sum g and D = sum g (x - m)
  /// per channel in the same pass, while g is in cache; then dbeta += S, dgamma += s D, and
  /// dx = A g + B x + C with A = gamma s, B = -gamma s^3 D / M, C = -gamma s S / M - B m, M = N H W (in
  /// evaluation with running statistics dx = A g): BN's backward without its first pass over dy and x.
  /// `normalizing` needs `rectify`: a batch norm is only read this way in front of a ReLU.
  public func separableConv(
    _ x: Tensor, depthwise: Tensor, pointwise: Tensor, stride s: Int = 1, padding: Int, dilation d: Int = 1,
    rectify: Bool, normalizing norm: InputNormalization? = nil
  ) -> Tensor {
    let xp = materialize(x)
    let (n, c, h, w) = x.nchw
    let k = depthwise.shape[2]
    require(
      depthwise.shape == [c, 1, k, k] && pointwise.shape.count == 4 && pointwise.shape[1] == c
        && pointwise.shape[2] == 1 && pointwise.shape[3] == 1,
      "separableConv: weights \(depthwise.shape), \(pointwise.shape) for input \(x.shape)")
    require(norm == nil || rectify, "separableConv: a normalised input is read through a ReLU")
    let cout = pointwise.shape[0]
    let g = ConvGeometry(kernel: k, stride: s, padding: padding, dilation: d)
    let oh = g.outputSize(h)
    let ow = g.outputSize(w)
    let (hw, ohw) = (h * w, oh * ow)
    let hp = h + 2 * padding
    let wp = w + 2 * padding
    let layout = TapLayout(paddedWidth: wp, kernel: k, stride: s, dilation: d)
    let grad = needsGradient([x, depthwise, pointwise] + [norm?.weight, norm?.bias].compactMap { $0 })
    let y = output([n, cout, oh, ow], grad: grad)
    y.acceptsPendingGradient = grad
    // The input's batch norm as a v + b per channel (`InputNormalization`).
    let (isBatch, means, invStds) =
      norm.map {
        termStatistics(
          [UnsafePointer(xp)], normalized: [true], running: [$0.running], training: $0.training, eps: $0.eps,
          shape: (n, c, hw), moments: [x.planeMoments])
      }.map { ($0.isBatch[0], $0.means, $0.invStds) } ?? (
        false, [Float](repeating: 0, count: c), [Float](repeating: 1, count: c)
      )
    let scales = (0..<c).map { (norm?.weight?.data[$0] ?? 1) * invStds[$0] }
    let shifts = (0..<c).map { (norm?.bias?.data[$0] ?? 0) - means[$0] * scales[$0] }
    @inline(__always) func affine(_ ch: Int) -> (scale: Float, shift: Float)? {
      norm == nil ? nil : (scales[ch], shifts[ch])
    }
    let scratch = self.scratch
    let (dwp, pwp, yp) = (depthwise.data, pointwise.data, y.data)
    // Rows of the scratch matrices (d, dd, a copy of dz[n]) apart by `pitch` (`gemmPitch`).
    let pitch = gemmPitch(ohw)
    // The output's shifted sums per plane, taken while each image is in cache, for the batch norm that reads it.
    let moments = PlaneMoments(images: n, channels: cout, planeSize: ohw)
    /// d of image b into `mid` (C planes of oh x ow, `pitch` apart), through the padded plane.
    @inline(__always) func depthwiseImage(
      _ b: Int, padded: UnsafeMutablePointer<Float>, into mid: UnsafeMutablePointer<Float>
    ) {
      for ch in 0..<c {
        preparePlane(
          xp + (b * c + ch) * hw, h: h, w: w, padding: padding, deinterleave: s == 2, rectify: rectify,
          affine: affine(ch), into: padded)
        depthwiseCorrelate(
          padded, layout: layout, kernel: k, filter: dwp + ch * k * k, output: mid + ch * pitch, outPitch: ow,
          oh: oh, ow: ow, accumulate: false)
      }
    }
    parallel.forEachRange(n) { part, r in
      let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
      padded.update(repeating: 0, count: hp * wp)
      let mid = scratch.buffer(part: part, slot: 1, count: c * pitch)
      for b in r {
        depthwiseImage(b, padded: padded, into: mid)
        smallGemm(
          m: cout, n: ohw, k: c, pwp, lda: c, mid, ldb: pitch, yp + b * cout * ohw, ldc: ohw, accumulate: false)
        moments.record(image: b, planes: yp + b * cout * ohw)
      }
    }
    y.planeMoments = moments
    guard grad else { return y }
    let back = d * (k - 1) - padding
    require(back >= 0, "separableConv: padding above d(k-1) is not supported")
    let hg = h + d * (k - 1)
    let wg = w + d * (k - 1)
    let gradientLayout = TapLayout(paddedWidth: wg, kernel: k, stride: 1, dilation: d)
    // Images whose d is kept at once for dW_p, so that short planes (8 x 8) are summed over several images
    // before the accumulators' lanes are added.
    let group = max(1, 1024 / max(1, ohw))
    record(
      y, detail: "k\(k) s\(s) d\(d) \(oh)x\(ow) c\(c)\(norm == nil ? "" : " bn")",
      flops: 2 * Double(n * c * ohw * k * k + y.count * c)
    ) { [parallel] in
      // A pending dz (`PendingGradient`, from the normalised sum this output feeds) is written group by
      // group into scratch rows `pitch` apart, where the two products read it.
      let pending = y.takePendingGradient()
      let gy = pending == nil ? y.grad : nil
      guard pending != nil || gy != nil else { return }
      // dx may be computed over dz's buffer: a group's dz is read in full (dd, dW_p) before its dx is written.
      let target: (UnsafeMutablePointer<Float>, accumulate: Bool)? =
        x.requiresGrad ? (x.shape == y.shape ? x.gradientTarget(donatedBy: y) : x.gradientTarget()) : nil
      let needDepthwise = depthwise.requiresGrad
      let needPointwise = pointwise.requiresGrad
      let gyp = gy?.data
      let parts = parallel.parts(n)
      // With the input's batch norm: g = dBN(x) goes to dx's buffer when it is fresh (dx is then computed
      // over it), else to a buffer of its own; BN's sums per thread and channel go to `normSums`.
      let gammaGradient = norm?.weight.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
      let betaGradient = norm?.bias.map { $0.requiresGrad ? $0.gradient().data : nil } ?? nil
      let needNormalized = norm != nil && (target != nil || gammaGradient != nil || betaGradient != nil)
      let own = needNormalized && (target == nil || target!.accumulate) ? Tensor(uninitialized: x.shape) : nil
      let normalizedGradient: UnsafeMutablePointer<Float>? = needNormalized ? (own?.data ?? target!.0) : nil
      // `own` is only reached through this pointer: it must outlive every use (its buffer goes back to the
      // shared pool once it is released).
      defer { withExtendedLifetime(own) {} }
      let normSums = needNormalized ? UnsafeMutablePointer<Double>.allocate(capacity: parts * c * 2) : nil
      defer { normSums?.deallocate() }
      normSums?.update(repeating: 0, count: parts * c * 2)
      let needInput = target != nil || needNormalized
      // W_p^T for dd = W_p^T dz, and the flipped filters for dr, shared by the threads.
      let shared = scratch.buffer(part: parts, slot: 4, count: cout * c + c * k * k)
      let transposed = shared
      let flipped = shared + cout * c
      for o in 0..<cout { for i in 0..<c { transposed[i * cout + o] = pwp[o * c + i] } }
      for ch in 0..<c { for i in 0..<(k * k) { flipped[ch * k * k + i] = dwp[ch * k * k + k * k - 1 - i] } }
      parallel.forEachRange(n) { part, r in
        let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
        padded.update(repeating: 0, count: hp * wp)
        let gplane = scratch.buffer(part: part, slot: 1, count: hg * wg)
        gplane.update(repeating: 0, count: hg * wg)
        let mids = scratch.buffer(part: part, slot: 2, count: min(group, r.count) * c * pitch)
        let dds = scratch.buffer(part: part, slot: 3, count: min(group, r.count) * c * pitch)
        // dz[n] is copied to rows `pitch` apart before it is read as a GEMM's B, when its own rows alias.
        let dzCopy = pitch == ohw || pending != nil ? nil : scratch.buffer(part: part, slot: 8, count: cout * pitch)
        let dzGroup = pending.map { _ in scratch.buffer(part: part, slot: 9, count: min(group, r.count) * cout * pitch)
        }
        let gwd = scratch.buffer(part: part, slot: 5, count: c * k * k)
        if needDepthwise { gwd.update(repeating: 0, count: c * k * k) }
        let gwp = scratch.buffer(part: part, slot: 6, count: cout * c)
        if needPointwise { gwp.update(repeating: 0, count: cout * c) }
        let dr = scratch.buffer(part: part, slot: 7, count: hw)
        var first = r.lowerBound
        while first < r.upperBound {
          let images = first..<min(first + group, r.upperBound)
          // dz of the group: the pending gradient's rows `pitch` apart, or dz's own rows `ohw` apart.
          let (dzs, dzPitch): (UnsafePointer<Float>, Int)
          if let pending, let dzGroup {
            for (i, b) in images.enumerated() {
              pending.write(image: b, into: dzGroup + i * cout * pitch, pitch: pitch, accumulate: false)
            }
            (dzs, dzPitch) = (UnsafePointer(dzGroup), pitch)
          } else {
            (dzs, dzPitch) = (UnsafePointer(gyp! + first * cout * ohw), ohw)
          }
          // Image by image: dd = W_p^T dz, then each plane of r is prepared once and serves d (for dW_p) and
          // the filter gradient. dx comes after dW_p: it may be written over dz (a donated buffer).
          for (i, b) in images.enumerated() {
            let dd = dds + i * c * pitch
            if needDepthwise || needInput {
              var dz = dzs + i * cout * dzPitch
              if let dzCopy {
                copyMatrix(dz, srcPitch: ohw, into: dzCopy, dstPitch: pitch, rows: cout, columns: ohw)
                dz = UnsafePointer(dzCopy)
              }
              smallGemm(
                m: c, n: ohw, k: cout, transposed, lda: cout, dz, ldb: pitch, dd, ldc: pitch, accumulate: false)
            }
            guard needPointwise || needDepthwise else { continue }
            for ch in 0..<c {
              preparePlane(
                xp + (b * c + ch) * hw, h: h, w: w, padding: padding, deinterleave: s == 2, rectify: rectify,
                affine: affine(ch), into: padded)
              if needPointwise {
                depthwiseCorrelate(
                  padded, layout: layout, kernel: k, filter: dwp + ch * k * k, output: mids + (i * c + ch) * pitch,
                  outPitch: ow, oh: oh, ow: ow, accumulate: false)
              }
              if needDepthwise {
                depthwiseFilterGradientAnyKernel(
                  padded, layout: layout, kernel: k, outputGradient: dd + ch * pitch, oh: oh, ow: ow,
                  into: gwd + ch * k * k)
              }
            }
          }
          if needPointwise {
            smallGemmTransposedB(
              m: cout, n: c, k: ohw, images: images.count, dzs, lda: dzPitch, aImageStride: cout * dzPitch, mids,
              ldb: pitch, bImageStride: c * pitch, gwp, ldc: c)
          }
          // dr[c]: dd[c] zero-upsampled and padded, correlated with the flipped filter.
          for (i, b) in images.enumerated() {
            guard needInput else { break }
            for ch in 0..<c {
              let ddp = dds + (i * c + ch) * pitch
              let xc = xp + (b * c + ch) * hw
              if s == 1 {
                for row in 0..<oh { vectorCopy(ddp + row * ow, gplane + (back + row) * wg + back, ow) }
              } else {
                for row in 0..<oh {
                  let line = gplane + (back + s * row) * wg + back
                  spreadStrided(ddp + row * ow, ow, stride: s, into: line, room: wg - back)
                }
              }
              if let normalizedGradient, let normSums {
                depthwiseCorrelate(
                  gplane, layout: gradientLayout, kernel: k, filter: flipped + ch * k * k, output: dr, outPitch: w,
                  oh: h, ow: w, accumulate: false)
                let (sum, centered) = vectorAffineReluGradient(
                  dr, xc, normalizedGradient + (b * c + ch) * hw, hw, scale: scales[ch], shift: shifts[ch],
                  mean: means[ch])
                let row = normSums + (part * c + ch) * 2
                row[0] += Double(sum)
                row[1] += Double(centered)
                continue
              }
              guard let (gx, accumulate) = target else { break }
              let gxc = gx + (b * c + ch) * hw
              if rectify {
                depthwiseCorrelate(
                  gplane, layout: gradientLayout, kernel: k, filter: flipped + ch * k * k, output: dr, outPitch: w,
                  oh: h, ow: w, accumulate: false)
                vectorReluGradient(dr, xc, gxc, hw, accumulate: accumulate)
              } else {
                depthwiseCorrelate(
                  gplane, layout: gradientLayout, kernel: k, filter: flipped + ch * k * k, output: gxc, outPitch: w,
                  oh: h, ow: w, accumulate: accumulate)
              }
            }
          }
          first = images.upperBound
        }
      }
      if needDepthwise { scratch.addParts(slot: 5, parts: parts, count: c * k * k, into: depthwise.gradient().data) }
      if needPointwise { scratch.addParts(slot: 6, parts: parts, count: cout * c, into: pointwise.gradient().data) }
      guard let normalizedGradient, let normSums else { return }
      // BN's backward from its sums, combined in thread order: dx = A g + B x + C per channel.
      var coefficients = [Float](repeating: 0, count: c * 3)
      let totals = Self.channelTotals(
        Array(UnsafeBufferPointer(start: normSums, count: parts * c * 2)), parts: parts, channels: c)
      let m = Float(n * hw)
      for ch in 0..<c {
        let (sum, centered) = (Float(totals[2 * ch]), Float(totals[2 * ch + 1]))
        gammaGradient?[ch] += centered * invStds[ch]
        betaGradient?[ch] += sum
        let a = scales[ch]
        coefficients[3 * ch] = a
        if isBatch {
          let bx = -a * invStds[ch] * invStds[ch] * centered / m
          coefficients[3 * ch + 1] = bx
          coefficients[3 * ch + 2] = -a * sum / m - bx * means[ch]
        }
      }
      guard let (gx, accumulate) = target else { return }
      // Backwards through the images: the last ones g was written for are still in this thread's cache.
      parallel.forEachRange(n) { _, r in
        for b in r.reversed() {
          for ch in (0..<c).reversed() {
            let o = (b * c + ch) * hw
            if isBatch {
              vectorLinear2(
                normalizedGradient + o, xp + o, gx + o, hw, a: coefficients[3 * ch], b: coefficients[3 * ch + 1],
                c: coefficients[3 * ch + 2], accumulate: accumulate)
            } else {
              vectorScaleAdd(normalizedGradient + o, gx + o, hw, scale: coefficients[3 * ch], accumulate: accumulate)
            }
          }
        }
      }
    }
    return y
  }
}
