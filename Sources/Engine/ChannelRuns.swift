/// The contiguous runs of an NCHW tensor's values, image by image: for a channel concatenation view one
/// run per image and part (read in the part), for a plain tensor one run per image.
///
/// Kernels that walk channel planes (global average pooling, gradient seeding) loop over runs and serve
/// both kinds of tensor with one body: run i covers C_run planes of H W floats, at `source` in its part's
/// storage and at `destination` in the dense NCHW order (plane index destination / (H W)).
struct ChannelRuns {
  /// The view with distinct parts, or nil for a plain (or densely read) tensor.
  let view: ChannelConcatenation?
  let images: Int
  let channels: Int
  let planeSize: Int

  init(_ x: Tensor) {
    let (n, c, h, w) = x.nchw
    view = x.distinctParts
    images = n
    channels = c
    planeSize = h * w
  }

  /// The number of runs.
  var count: Int { view?.runCount ?? images }

  /// Run i: its part (0 for a plain tensor), start in the part, start in dense NCHW order, and length.
  func run(_ i: Int) -> (part: Int, source: Int, destination: Int, length: Int) {
    if let view { return view.run(i) }
    let length = channels * planeSize
    return (0, i * length, i * length, length)
  }

  /// Where each part's values are: the parts of a view, or the tensor itself (filled in parallel when it
  /// is a view read densely).
  func sources(of x: Tensor, tape: Tape) -> [UnsafeMutablePointer<Float>] {
    view?.parts.map { tape.materialize($0) } ?? [tape.materialize(x)]
  }

  /// Where each part's gradient goes and whether to add to it (nil: no gradient wanted).
  func gradientTargets(of x: Tensor) -> [(UnsafeMutablePointer<Float>, accumulate: Bool)?] {
    view?.gradientTargets() ?? [x.gradientTarget()]
  }
}
