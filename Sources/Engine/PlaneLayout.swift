/// Where the planes of an NCHW input sit in memory: a plain tensor's planes are h x w and packed; a spatial
/// slice view's planes are read inside its base, rows `rowPitch` = W apart and planes `planePitch` = H W
/// apart, starting at (top, left).
struct PlaneLayout {
  let rowPitch: Int
  let planePitch: Int
  /// Floats per image: C times the plane pitch.
  let imageSize: Int
  /// The offset of the first kept element in each plane.
  let offset: Int

  init(_ x: Tensor, slice: SpatialSlice?) {
    let (_, c, h, w) = x.nchw
    if let slice {
      rowPitch = slice.baseWidth
      planePitch = slice.baseHeight * slice.baseWidth
      offset = slice.top * slice.baseWidth + slice.left
    } else {
      rowPitch = w
      planePitch = h * w
      offset = 0
    }
    imageSize = c * planePitch
  }

  /// Where image b's first plane starts.
  func origin(image b: Int) -> Int { b * imageSize + offset }
}
