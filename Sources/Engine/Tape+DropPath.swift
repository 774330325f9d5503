import Foundation

extension Tape {
  /// Drop path, as DARTS `utils.drop_path` (`x.div_(keep_prob); x.mul_(mask)`): y[n] = x[n] / keep * mask[n],
  /// one 0/1 mask value per image (`mask` has N entries; see `dropPathMask(images:keep:using:)`).
  ///
  /// Backward: dx[n] = dy[n] / keep * mask[n]. Both directions multiply by the per-image factor
  /// mask[n] / keep (within an ulp of PyTorch's division then multiplication), so a dropped image gives
  /// 0, and NaN or infinity in it gives NaN, as x / keep * 0 does; the mask takes no gradient. With
  /// keep = 1 and a mask of ones this is a copy: DARTS skips the call when the drop probability is 0.
  public func dropPath(_ x: Tensor, keep: Float, mask: [Float]) -> Tensor {
    require(!x.shape.isEmpty, "dropPath: x needs an image dimension, got \(x.shape)")
    let n = x.shape[0]
    require(keep > 0 && keep <= 1, "dropPath: keep probability \(keep) outside (0, 1]")
    require(mask.count == n, "dropPath: \(mask.count) mask values for \(n) images")
    let factors = mask.map { $0 / keep }
    let perImage = n == 0 ? 0 : x.count / n
    let xp = materialize(x)
    let grad = needsGradient(x)
    let y = output(x.shape, grad: grad)
    Self.scaleImages(xp, into: y.data, factors: factors, perImage: perImage, accumulate: false, parallel: parallel)
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let (gx, accumulate) = x.gradientTarget(donatedBy: y)
        Self.scaleImages(
          gy.data, into: gx, factors: factors, perImage: perImage, accumulate: accumulate, parallel: parallel)
      }
    }
    return y
  }

  /// `dropPath(_:keep:mask:)` with the mask as a tensor of N values (shape [N] or PyTorch's [N, 1, 1, 1]).
  public func dropPath(_ x: Tensor, keep: Float, mask: Tensor) -> Tensor {
    dropPath(x, keep: keep, mask: mask.scalars)
  }

  /// N independent Bernoulli(keep) draws, 1 with probability `keep` and 0 otherwise: the drop-path mask
  /// of DARTS `utils.drop_path` (`torch.FloatTensor(N, 1, 1, 1).bernoulli_(keep_prob)`), drawn from
  /// `generator` (one double-precision uniform draw per image).
  public static func dropPathMask<G: RandomNumberGenerator>(
    images: Int, keep: Float, using generator: inout G
  ) -> [Float] {
    require(images >= 0, "dropPathMask: negative image count \(images)")
    let p = Double(keep)
    return (0..<images).map { _ in Double.random(in: 0..<1, using: &generator) < p ? 1 : 0 }
  }

  /// dst[i] (= or +=) factors[image of i] * src[i] over N images of `perImage` floats, split over the
  /// threads by element so that a few large images still use every thread. dst may be src when not
  /// accumulating (each src[i] is read before dst[i] is written).
  private static func scaleImages(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, factors: [Float], perImage: Int,
    accumulate: Bool, parallel: Parallel
  ) {
    let count = factors.count * perImage
    guard count > 0 else { return }
    factors.withUnsafeBufferPointer { buffer in
      let fp = buffer.baseAddress!
      parallel.forEachRange(count, minPerPart: 1 << 15) { _, r in
        var lo = r.lowerBound
        while lo < r.upperBound {
          let image = lo / perImage
          let hi = min(r.upperBound, (image + 1) * perImage)
          vectorScaleAdd(src + lo, dst + lo, hi - lo, scale: fp[image], accumulate: accumulate)
          lo = hi
        }
      }
    }
  }
}
