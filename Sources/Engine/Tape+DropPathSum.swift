import Foundation

extension Tape {
  /// A node of a DARTS evaluation cell in one op, its edges' drop path and their sum:
  /// y[n] = sum_k f_k[n] x_k[n], with f_k[n] = mask_k[n] / keep for a term with a drop-path mask (one 0/1
  /// value per image, as `dropPath`) and f_k[n] = 1 for a term without one (the identity edges, which DARTS
  /// does not drop). The values of `add` over `dropPath` outputs to rounding; a dropped image of a term
  /// still gives NaN where the term is NaN or infinite (0 x), as x / keep * 0 does.
  ///
  /// Backward: dx_k[n] = f_k[n] dy[n]; the masks take no gradient. Both directions run over blocks within
  /// one image that stay in L1 while every term is read or written, split over the threads by element, so
  /// no dropped copy of a term is ever stored. dy's buffer is handed to the first term that may take it
  /// (no gradient yet, used once): its dx is then computed in place over dy, after every other term has
  /// read that block, and not at all when the term has no mask.
  public func dropPathSum(_ terms: [(Tensor, mask: [Float]?)], keep: Float) -> Tensor {
    require(!terms.isEmpty, "dropPathSum needs at least one term")
    let shape = terms[0].0.shape
    require(!shape.isEmpty && terms.allSatisfy { $0.0.shape == shape }, "dropPathSum: shapes differ")
    require(keep > 0 && keep <= 1, "dropPathSum: keep probability \(keep) outside (0, 1]")
    let n = shape[0]
    require(
      terms.allSatisfy { $0.mask == nil || $0.mask!.count == n }, "dropPathSum: one mask value per image needed")
    let sources = terms.map { materialize($0.0) }
    // Per-image factors of every term, term after term (nil for a term without a mask).
    let factors: [[Float]?] = terms.map { $0.mask?.map { $0 / keep } }
    let grad = needsGradient(terms.map(\.0))
    let y = output(shape, grad: grad)
    let perImage = n == 0 ? 0 : y.count / n
    let yp = y.data
    Self.forEachImageBlock(count: y.count, perImage: perImage, parallel: parallel) { image, lo, len in
      for (t, source) in sources.enumerated() {
        let f = factors[t]?[image] ?? 1
        vectorScaleAdd(source + lo, yp + lo, len, scale: f, accumulate: t > 0)
      }
    }
    guard grad else { return y }
    record(y) { [parallel] in
      guard let gy = y.grad else { return }
      let gyp = gy.data
      // Where each term's gradient goes. A tensor in several terms: only its first term may overwrite.
      var targets: [(UnsafeMutablePointer<Float>, accumulate: Bool)?] = []
      var donated: Int?
      for (t, (x, _)) in terms.enumerated() {
        if !x.requiresGrad {
          targets.append(nil)
        } else if let g = x.grad?.data, targets.contains(where: { $0?.0 == g }) {
          targets.append((g, true))
        } else if donated == nil, x.grad == nil, terms.filter({ $0.0 === x }).count == 1 {
          let target = x.gradientTarget(donatedBy: y)
          if target.0 == gyp { donated = t }
          targets.append(target)
        } else {
          targets.append(x.gradientTarget())
        }
      }
      // The donated term last: the others read dy before it is overwritten.
      var order = (0..<terms.count).filter { $0 != donated && targets[$0] != nil }
      if let donated, factors[donated] != nil { order.append(donated) }
      guard !order.isEmpty else { return }
      Self.forEachImageBlock(count: y.count, perImage: perImage, parallel: parallel) { image, lo, len in
        for t in order {
          let (gx, accumulate) = targets[t]!
          vectorScaleAdd(gyp + lo, gx + lo, len, scale: factors[t]?[image] ?? 1, accumulate: accumulate)
        }
      }
    }
    return y
  }

  /// Calls `body(image, start, length)` for blocks of at most `weightedSumChunk` floats that never cross
  /// an image boundary, covering `0..<count` in images of `perImage` floats, split over the threads by
  /// element (each thread's blocks in order).
  static func forEachImageBlock(
    count: Int, perImage: Int, parallel: Parallel, _ body: (_ image: Int, _ start: Int, _ length: Int) -> Void
  ) {
    guard count > 0, perImage > 0 else { return }
    let chunk = weightedSumChunk
    parallel.forEachRange(count, minPerPart: 1 << 14) { _, r in
      var lo = r.lowerBound
      while lo < r.upperBound {
        let image = lo / perImage
        let len = min(chunk, r.upperBound - lo, (image + 1) * perImage - lo)
        body(image, lo, len)
        lo += len
      }
    }
  }
}
