/// Where the channel planes of an NCHW op input lie, so that an op reads them in place and sends its input
/// gradient straight to where they came from: a plain tensor's own planes, a channel concatenation's
/// planes in its parts, and a spatial slice's planes inside its base (itself plain or a concatenation),
/// rows `rowPitch` apart from `offset` on.
///
/// Plane (b, ch) of the input starts at `plane(b, ch)` in the storage of tensor `tensorOf[ch]`. Every op
/// that reads through a map reads every plane of every tensor in it, so a fresh gradient target is filled
/// in full by that op (see `Tape.pointwiseConv`).
struct PlaneMap {
  /// The tensors holding the planes: the input, its concatenation's parts, or its slice's base (or parts).
  let tensors: [Tensor]
  /// The tensor of each channel of the input and the channel's index in it.
  let tensorOf: [Int]
  let channelIn: [Int]
  /// Channels of each tensor.
  let channelsOf: [Int]
  /// Floats between planes of a tensor, and between rows of a plane.
  let planePitch: Int
  let rowPitch: Int
  /// Where the input's first element sits in each plane: top * rowPitch + left for a slice, else 0.
  let offset: Int

  /// The map of `x`. Views it does not cover (a concatenation with a repeated part, a slice of a slice)
  /// are read densely: the map is then `x` itself, its dense values and its own (dense) gradient.
  init(_ x: Tensor) {
    var base = x
    var offset = 0
    if let slice = x.spatialSlice, slice.base.view == nil || slice.base.distinctParts != nil {
      base = slice.base
      offset = slice.top * slice.baseWidth + slice.left
    }
    let (_, c, h, w) = base.nchw
    if let parts = base.distinctParts {
      tensors = parts.parts
      channelsOf = parts.channels
      var tensorOf: [Int] = []
      var channelIn: [Int] = []
      for (k, ck) in parts.channels.enumerated() {
        tensorOf += Array(repeating: k, count: ck)
        channelIn += Array(0..<ck)
      }
      self.tensorOf = tensorOf
      self.channelIn = channelIn
    } else {
      tensors = [base]
      channelsOf = [c]
      tensorOf = Array(repeating: 0, count: c)
      channelIn = Array(0..<c)
    }
    planePitch = h * w
    rowPitch = w
    self.offset = offset
  }

  /// Whether the input is read as one dense tensor (no parts, no offset).
  var isDense: Bool { tensors.count == 1 && offset == 0 }

  /// The storage of each tensor (views among the parts filled densely by the tape).
  func sources(tape: Tape) -> [UnsafeMutablePointer<Float>] { tensors.map { tape.materialize($0) } }

  /// Each tensor's gradient storage and whether to add to it; nil for tensors without a gradient.
  func gradientTargets() -> [(UnsafeMutablePointer<Float>, accumulate: Bool)?] {
    tensors.map { $0.requiresGrad ? $0.gradientTarget() : nil }
  }

  /// The start of plane (b, ch) of the tensor storage `base` of channel ch (without the offset).
  @inline(__always)
  func planeStart(_ base: UnsafeMutablePointer<Float>, image b: Int, channel ch: Int) -> UnsafeMutablePointer<Float> {
    base + (b * channelsOf[tensorOf[ch]] + channelIn[ch]) * planePitch
  }
}
