/// The spatial slice x[:, :, top:, left:] of an NCHW tensor, read in place.
///
/// `Tape.sliceSpatial` returns such a view instead of copying (PyTorch's slicing makes a view too). The 1x1
/// convolution at stride 2 (FactorizedReduce's second branch) and gradient seeding read the base tensor at
/// the offset and write their input gradient straight into the base's gradient; every other reader gets
/// dense values through `Tensor.data`, copied once into the view's own storage (`ViewStorage`).
///
/// Like every view, it reads its base when first read: the base must not be modified meanwhile.
final class SpatialSlice: @unchecked Sendable {
  /// The sliced tensor, [N, C, H, W].
  let base: Tensor
  /// The first row and column kept.
  let top: Int
  let left: Int
  /// N C, the number of planes.
  let planes: Int
  /// H and W of the base.
  let baseHeight: Int
  let baseWidth: Int
  private let storage: ViewStorage

  init(_ base: Tensor, top: Int, left: Int, pool: BufferPool) {
    let (n, c, h, w) = base.nchw
    require(top >= 0 && left >= 0 && top <= h && left <= w, "slice [\(top):, \(left):] of \(base.shape)")
    self.base = base
    self.top = top
    self.left = left
    planes = n * c
    baseHeight = h
    baseWidth = w
    storage = ViewStorage(count: n * c * (h - top) * (w - left), pool: pool)
  }

  /// H - top and W - left, the view's plane size.
  var height: Int { baseHeight - top }
  var width: Int { baseWidth - left }

  /// The view's shape, [N, C, H - top, W - left].
  var shape: [Int] { [base.shape[0], base.shape[1], height, width] }

  /// Plane p of the view starts at `origin(p)` in the base, rows `baseWidth` apart.
  func origin(_ p: Int) -> Int { (p * baseHeight + top) * baseWidth + left }

  /// The dense values, copied from the base on first call. `fill(copyPlanes)` copies every plane: the
  /// caller may split it over threads (the default copies on the calling thread).
  func contents(fill: ((_ copyPlanes: (Range<Int>) -> Void) -> Void)? = nil) -> UnsafeMutablePointer<Float> {
    storage.contents { dense in
      let source = base.data
      let copyPlanes = { [self] (r: Range<Int>) in
        for p in r {
          for i in 0..<height {
            vectorCopy(source + origin(p) + i * baseWidth, dense + (p * height + i) * width, width)
          }
        }
      }
      if let fill { fill(copyPlanes) } else { copyPlanes(0..<planes) }
    }
  }
}

extension SpatialSlice {
  /// Writes a gradient of the view into the base's gradient gx, planes `r`: `row(p, i, dst)` sets (or,
  /// when `accumulate`, adds) row i of plane p at dst, `width` floats. A fresh gradient (`accumulate`
  /// false) first gets zeros in the cut-off border: the first `top` rows and the first `left` columns.
  func placeGradient(
    planes r: Range<Int>, into gx: UnsafeMutablePointer<Float>, accumulate: Bool,
    row: (_ p: Int, _ i: Int, _ dst: UnsafeMutablePointer<Float>) -> Void
  ) {
    for p in r {
      let plane = gx + p * baseHeight * baseWidth
      if !accumulate { plane.update(repeating: 0, count: top * baseWidth) }
      for i in 0..<height {
        let line = plane + (i + top) * baseWidth
        if !accumulate { line.update(repeating: 0, count: left) }
        row(p, i, line + left)
      }
    }
  }
}
