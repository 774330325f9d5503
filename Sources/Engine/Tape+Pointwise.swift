import Foundation

extension Tape {
  /// 1x1 convolution with stride s, optionally of relu(x): Y[n] = W X_s[n], X_s the input (rectified when
  /// `rectify`: DARTS' `ReLUConvBN` and `FactorizedReduce` in one op) subsampled by s.
  ///
  /// Backward: dW = sum_n dY[n] X_s[n]^T; dX_s[n] = W^T dY[n], then dx = dX_s at the strided positions
  /// (where x > 0 when rectifying) and 0 elsewhere. The products are register-blocked small GEMMs.
  ///
  /// The input's planes are read in place through a `PlaneMap`: a channel concatenation in its parts and a
  /// spatial slice inside its base, and dx goes straight into their gradients. A plain input at stride 1
  /// without ReLU is read as it is; otherwise each image's X_s is gathered (and rectified) into per-thread
  /// scratch, which the GEMM then reads from cache. The weight gradient is summed per thread, then in
  /// thread order: deterministic for a fixed thread count.
  public func pointwiseConv(_ x: Tensor, weight: Tensor, stride: Int = 1, rectify: Bool = false) -> Tensor {
    pointwiseConvs(x, weights: [weight], stride: stride, rectify: rectify)[0]
  }

  /// Several 1x1 convolutions of the same input, Y_i[n] = W_i X_s[n], as one op (`pointwiseConv` for each
  /// W_i): the convolutions of DARTS' `ReLUConvBN`s that preprocess one state for several cells.
  ///
  /// Image by image, X_s is gathered (and rectified) once and every product reads it from cache. Backward
  /// gathers it once more for all the dW_i = sum_n dY_i[n] X_s[n]^T, sums dX_s[n] = sum_i W_i^T dY_i[n] in
  /// cache, and scatters it into dx once: each consumer's own op would read x and read and write dx again.
  /// The outputs' gradients are all consumed by this op's backward, which the tape runs after every op that
  /// reads any of them (it runs in reverse order from the first output's place).
  public func pointwiseConvs(_ x: Tensor, weights: [Tensor], stride: Int = 1, rectify: Bool = false) -> [Tensor] {
    let (n, cin, h, w) = x.nchw
    require(!weights.isEmpty, "pointwiseConvs: no weights")
    for weight in weights {
      require(
        weight.shape.count == 4 && weight.shape[1] == cin && weight.shape[2] == 1 && weight.shape[3] == 1,
        "pointwiseConv: weight \(weight.shape) for input \(x.shape)")
    }
    let couts = weights.map { $0.shape[0] }
    let oh = (h - 1) / stride + 1
    let ow = (w - 1) / stride + 1
    let ohw = oh * ow
    let grad = needsGradient([x] + weights)
    let ys = couts.map { output([n, $0, oh, ow], grad: grad) }
    let scratch = self.scratch
    let map = PlaneMap(x)
    let sources = map.sources(tape: self)
    // Rows of the scratch matrices apart by `pitch` (`gemmPitch`); a plain input whose planes would alias
    // is gathered too.
    let pitch = gemmPitch(ohw)
    let direct = map.isDense && stride == 1 && !rectify && pitch == ohw
    let geometry = GatherGeometry(rows: oh, columns: ow, stride: stride, map: map)
    /// X_s of image b (rows `pitch` apart): in place when `direct`, else gathered into `buffer`.
    @inline(__always) func input(_ b: Int, _ buffer: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
      if direct { return UnsafePointer(sources[0] + b * cin * h * w) }
      for ch in 0..<cin {
        let plane = map.planeStart(sources[map.tensorOf[ch]], image: b, channel: ch) + map.offset
        geometry.gather(plane, into: buffer + ch * pitch, rectify: rectify)
      }
      return UnsafePointer(buffer)
    }
    let (wps, yps) = (weights.map(\.data), ys.map(\.data))
    parallel.forEachRange(n) { part, r in
      let sub = scratch.buffer(part: part, slot: 0, count: cin * pitch)
      for b in r {
        let xs = input(b, sub)
        for (i, cout) in couts.enumerated() {
          smallGemm(
            m: cout, n: ohw, k: cin, wps[i], lda: cin, xs, ldb: pitch, yps[i] + b * cout * ohw, ldc: ohw,
            accumulate: false)
        }
      }
    }
    guard grad else { return ys }
    // Images gathered at once for dW, so that short planes are summed over several images before the
    // accumulators' lanes are added; a direct input is read across all of a thread's images in one call.
    let group = max(1, 1024 / max(1, ohw))
    let stacked = couts.count == 1 ? "" : " x\(couts.count)"
    record(
      ys[0], function: "pointwiseConv", detail: "s\(stride) \(oh)x\(ow) c\(cin)\(stacked)",
      flops: 2 * Double(n * couts.reduce(0, +) * ohw * cin)
    ) { [parallel] in
      // The other outputs' gradients are dropped here, as the tape drops the first's after this closure.
      defer { for y in ys.dropFirst() where y.isIntermediate { y.grad = nil } }
      let live = ys.indices.filter { ys[$0].grad != nil }
      guard !live.isEmpty else { return }
      let targets = x.requiresGrad ? map.gradientTargets() : []
      let needX = targets.contains { $0 != nil }
      let needW = live.map { weights[$0].requiresGrad }
      let needAnyW = needW.contains(true)
      let sizes = live.map { couts[$0] * cin }
      let offsets = sizes.indices.map { sizes[..<$0].reduce(0, +) }
      let wsize = sizes.reduce(0, +)
      let parts = parallel.parts(n)
      let gyps = live.map { ys[$0].grad!.data }
      // W_i^T, for dX_s = sum_i W_i^T dY_i, one after another.
      let transposed = scratch.buffer(part: parts, slot: 4, count: wsize)
      if needX {
        for (j, i) in live.enumerated() {
          let (wp, cout, t) = (wps[i], couts[i], transposed + offsets[j])
          for o in 0..<cout { for c in 0..<cin { t[c * cout + o] = wp[o * cin + c] } }
        }
      }
      // dX_s goes straight into dx for a direct input, else into `sub`, then is scattered.
      let directTarget = direct && needX ? targets[0] : nil
      parallel.forEachRange(n) { part, r in
        // The dW_i of this thread, one after another.
        let gwPart = scratch.buffer(part: part, slot: 1, count: wsize)
        if needAnyW { gwPart.update(repeating: 0, count: wsize) }
        let sub = scratch.buffer(part: part, slot: 0, count: cin * pitch)
        let chunk = direct ? r.count : min(group, r.count)
        let mids = direct ? sub : scratch.buffer(part: part, slot: 2, count: chunk * cin * pitch)
        // dY_i[n] is copied to rows `pitch` apart before it is read as a GEMM's B, when its own rows alias.
        let dyCopy = pitch == ohw ? nil : scratch.buffer(part: part, slot: 3, count: couts.max()! * pitch)
        var first = r.lowerBound
        while first < r.upperBound {
          let images = first..<min(first + chunk, r.upperBound)
          // X_s of these images, for dW and for the ReLU's mask (relu(x) > 0 where x > 0).
          if !direct && (needAnyW || (needX && rectify)) {
            for (i, b) in images.enumerated() { _ = input(b, mids + i * cin * pitch) }
          }
          for (j, i) in live.enumerated() where needW[j] {
            let xs = direct ? UnsafePointer(sources[0] + first * cin * h * w) : UnsafePointer(mids)
            // dW_i += sum over these images of dY_i X_s^T, in one kernel call across the images.
            smallGemmTransposedB(
              m: couts[i], n: cin, k: ohw, images: images.count, gyps[j] + first * couts[i] * ohw, lda: ohw,
              aImageStride: couts[i] * ohw, xs, ldb: direct ? ohw : pitch,
              bImageStride: cin * (direct ? ohw : pitch), gwPart + offsets[j], ldc: cin)
          }
          for (image, b) in images.enumerated() where needX {
            // dX_s = sum_i W_i^T dY_i.
            for (j, i) in live.enumerated() {
              let cout = couts[i]
              var gyb = UnsafePointer(gyps[j] + b * cout * ohw)
              if let (gx, accumulate) = directTarget {
                smallGemm(
                  m: cin, n: ohw, k: cout, transposed + offsets[j], lda: cout, gyb, ldb: ohw, gx + b * cin * ohw,
                  ldc: ohw, accumulate: accumulate || j > 0)
                continue
              }
              if let dyCopy {
                copyMatrix(gyb, srcPitch: ohw, into: dyCopy, dstPitch: pitch, rows: cout, columns: ohw)
                gyb = UnsafePointer(dyCopy)
              }
              smallGemm(
                m: cin, n: ohw, k: cout, transposed + offsets[j], lda: cout, gyb, ldb: pitch, sub, ldc: pitch,
                accumulate: j > 0)
            }
            guard !direct else { continue }
            for ch in 0..<cin {
              let t = map.tensorOf[ch]
              guard let (gx, accumulate) = targets[t] else { continue }
              geometry.scatter(
                sub + ch * pitch, into: map.planeStart(gx, image: b, channel: ch),
                mask: rectify ? UnsafePointer(mids + image * cin * pitch + ch * pitch) : nil,
                accumulate: accumulate)
            }
          }
          first = images.upperBound
        }
      }
      for (j, i) in live.enumerated() where needW[j] {
        scratch.addParts(slot: 1, parts: parts, offset: offsets[j], count: sizes[j], into: weights[i].gradient().data)
      }
    }
    return ys
  }
}

/// The strided window of an input plane that a 1x1 convolution reads: `rows` x `columns` values at
/// rows and columns s apart, from `offset` on in a plane of `planePitch` floats with rows `rowPitch` apart.
struct GatherGeometry {
  let rows: Int
  let columns: Int
  let stride: Int
  let rowPitch: Int
  let planePitch: Int
  let offset: Int

  init(rows: Int, columns: Int, stride: Int, map: PlaneMap) {
    self.rows = rows
    self.columns = columns
    self.stride = stride
    rowPitch = map.rowPitch
    planePitch = map.planePitch
    offset = map.offset
  }

  /// The floats of a plane row from the window's first column on (what a vector may read or write).
  var rowRoom: Int { rowPitch - offset % rowPitch }

  /// Whether the window is the whole plane, stored contiguously.
  var coversPlane: Bool { stride == 1 && offset == 0 && rows * columns == planePitch }

  /// dst[i, j] = v or relu(v) (`rectify`), v = src[i s rowPitch + j s], for the window starting at src.
  @inline(__always)
  func gather(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, rectify: Bool) {
    if coversPlane {
      if rectify { vectorRelu(src, dst, rows * columns) } else { vectorCopy(src, dst, rows * columns) }
      return
    }
    for i in 0..<rows {
      let line = src + i * stride * rowPitch
      let out = dst + i * columns
      if stride == 1 {
        if rectify { vectorRelu(line, out, columns) } else { vectorCopy(line, out, columns) }
        continue
      }
      gatherStrided(line, columns, stride: stride, into: out, rectify: rectify, room: rowRoom)
    }
  }

  /// The adjoint of `gather` into the plane starting at `plane` (the window begins at its offset): each
  /// value goes back to its strided position, where the gathered window `mask` (relu(x), rows x columns)
  /// is above zero when rectifying. A fresh plane (`accumulate` false) gets zeros where the window does not
  /// reach.
  @inline(__always)
  func scatter(
    _ src: UnsafePointer<Float>, into plane: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>?,
    accumulate: Bool
  ) {
    if coversPlane {
      if let mask {
        vectorReluGradient(src, mask, plane, rows * columns, accumulate: accumulate)
      } else {
        vectorCopy(src, plane, rows * columns, accumulate: accumulate)
      }
      return
    }
    if !accumulate { plane.update(repeating: 0, count: planePitch) }
    let dst = plane + offset
    for i in 0..<rows {
      let line = dst + i * stride * rowPitch
      let values = src + i * columns
      let xs = mask.map { $0 + i * columns }
      if stride == 1 {
        if let xs {
          vectorReluGradient(values, xs, line, columns, accumulate: true)
        } else {
          vectorCopy(values, line, columns, accumulate: true)
        }
        continue
      }
      scatterAddStrided(values, columns, stride: stride, mask: xs, into: line, room: rowRoom)
    }
  }
}
