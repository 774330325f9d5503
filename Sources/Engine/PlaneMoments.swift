import Foundation

/// The shifted sums of every plane of an NCHW tensor, taken by the op that wrote the tensor while each
/// plane was still in cache (separable convolutions, max and average pools, FactorizedReduce: the ops a
/// DARTS batch norm follows), so that the batch norm reading the tensor (`Tape.termStatistics`) needs no
/// pass of its own over it.
///
/// For the plane of image b and channel c, with k_bc its first value: S_bc = sum (x - k_bc) and
/// Q_bc = sum (x - k_bc)^2 over its hw values, in float as `vectorShiftedSums` adds them (the sums a batch
/// norm's own pass takes per plane). `channelSums(_:)` moves each to the shift k = k_0c of image 0, which is
/// the one the batch norm's pass uses, and adds them over the images in order in double:
///
///   sum (x - k) = S_bc + hw d,   sum (x - k)^2 = Q_bc + 2 d S_bc + hw d^2,   d = k_bc - k.
///
/// Planes are recorded by whichever thread wrote them (each plane's three values are its own), so the
/// totals do not depend on the thread count. The producing op sets `Tensor.planeMoments`; nothing may
/// write into such a tensor's values afterwards.
final class PlaneMoments: @unchecked Sendable {
  /// Images, channels and values per plane of the tensor.
  let images: Int
  let channels: Int
  let planeSize: Int
  /// (k, S, Q) of the plane of image b and channel c at 3 (b C + c).
  private let values: UnsafeMutablePointer<Float>

  init(images: Int, channels: Int, planeSize: Int) {
    require(images >= 0 && channels >= 0 && planeSize >= 0, "PlaneMoments: negative extent")
    self.images = images
    self.channels = channels
    self.planeSize = planeSize
    values = .allocate(capacity: max(1, images * channels * 3))
  }

  deinit { values.deallocate() }

  /// Takes the sums of plane p = b C + c (image b, channel c), its `planeSize` values at `values`.
  func record(plane p: Int, values plane: UnsafePointer<Float>) {
    let shift = plane[0]
    let (s, q) = vectorShiftedSums(plane, planeSize, shift: shift)
    let v = values + 3 * p
    v[0] = shift
    v[1] = s
    v[2] = q
  }

  /// Takes the sums of image b's C planes, `planes` (C planes of `planeSize` values, contiguous).
  func record(image b: Int, planes: UnsafePointer<Float>) {
    for ch in 0..<channels { record(plane: b * channels + ch, values: planes + ch * planeSize) }
  }

  /// Channel c's shift k (image 0's first value) and sum (x - k), sum (x - k)^2 over all images.
  func channelSums(_ ch: Int) -> (shift: Float, sum: Double, squares: Double) {
    let shift = values[3 * ch]
    let size = Double(planeSize)
    var sum = 0.0
    var squares = 0.0
    for b in 0..<images {
      let v = values + 3 * (b * channels + ch)
      let d = Double(v[0]) - Double(shift)
      let (s, q) = (Double(v[1]), Double(v[2]))
      sum += s + size * d
      squares += q + 2 * d * s + size * d * d
    }
    return (shift, sum, squares)
  }
}
