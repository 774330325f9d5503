/// The sizes both vector pooling kernels work with: the output, the padded plane each input plane is
/// copied into (deinterleaved at stride 2) and the window's tap layout over it.
struct PoolPlan {
  let n: Int
  let c: Int
  let h: Int
  let w: Int
  let oh: Int
  let ow: Int
  /// The padded plane: H + 2p rows of W + 2p.
  let hp: Int
  let wp: Int
  let layout: TapLayout

  init(_ x: Tensor, geometry g: ConvGeometry) {
    (n, c, h, w) = x.nchw
    oh = g.outputSize(h)
    ow = g.outputSize(w)
    hp = h + 2 * g.padding
    wp = w + 2 * g.padding
    layout = TapLayout(paddedWidth: wp, kernel: g.kernel, stride: g.stride, dilation: 1)
  }

  /// N C planes.
  var planes: Int { n * c }
  /// Output values per plane.
  var ohw: Int { oh * ow }
  /// [N, C, OH, OW].
  var outputShape: [Int] { [n, c, oh, ow] }
}
