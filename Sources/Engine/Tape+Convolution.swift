import CBLAS
import Foundation

/// Geometry of a 2-D convolution or pooling window.
public struct ConvGeometry: Sendable, Equatable {
  public var kernel: Int
  public var stride: Int
  public var padding: Int
  public var dilation: Int

  public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.dilation = dilation
  }

  /// Output extent: floor((size + 2p - d(k-1) - 1) / s) + 1, as PyTorch.
  public func outputSize(_ size: Int) -> Int {
    (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
  }
}

extension Tape {
  /// 2-D convolution without bias, NCHW input, weight [C_out, C_in / groups, k, k].
  ///
  /// Supported: dense (groups 1), depthwise (groups = C_in = C_out); 1x1 dense without padding uses a
  /// GEMM per image, other dense kernels im2col + GEMM, depthwise its own SIMD loops.
  public func conv2d(
    _ x: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1
  ) -> Tensor {
    let (_, cin, _, _) = x.nchw
    let (cout, cinPerGroup, kh, kw) = weight.nchw
    require(kh == kw, "conv2d: square kernels only, got \(weight.shape)")
    let geometry = ConvGeometry(kernel: kh, stride: stride, padding: padding, dilation: dilation)
    if groups == 1 {
      require(cinPerGroup == cin, "conv2d: weight \(weight.shape) for input \(x.shape)")
      if kh == 1 && padding == 0 {
        return pointwiseConv(x, weight: weight, stride: stride)
      }
      materialize(x)
      return denseConv(x, weight: weight, geometry: geometry)
    }
    require(
      groups == cin && cout == cin && cinPerGroup == 1,
      "conv2d: only dense and depthwise convolutions are supported (groups \(groups), weight \(weight.shape))")
    materialize(x)
    return depthwiseConv(x, weight: weight, geometry: geometry)
  }

  // MARK: depthwise

  /// Depthwise convolution: y[c] = x[c] (*) w[c], one k x k filter per channel.
  ///
  /// Each plane is copied into a zero-padded scratch plane (columns deinterleaved at stride 2) so the
  /// inner loops are contiguous vector loads without bounds tests; output rows are accumulated in
  /// registers. Backward: the filter gradient correlates the padded input with the output gradient; the
  /// input gradient is the same forward kernel run on the output gradient — zero-upsampled by the stride
  /// and padded by d(k-1) - p — with the flipped filter.
  func depthwiseConv(_ x: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    let (n, c, h, w) = x.nchw
    let k = g.kernel
    let s = g.stride
    let d = g.dilation
    let oh = g.outputSize(h)
    let ow = g.outputSize(w)
    let hp = h + 2 * g.padding
    let wp = w + 2 * g.padding
    let grad = needsGradient(x, weight)
    let y = output([n, c, oh, ow], grad: grad)
    let scratch = self.scratch
    let planes = n * c
    let layout = TapLayout(paddedWidth: wp, kernel: k, stride: s, dilation: d)
    parallel.forEachRange(planes) { part, r in
      let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
      padded.update(repeating: 0, count: hp * wp)
      for p in r {
        let ch = p % c
        preparePlane(x.data + p * h * w, h: h, w: w, padding: g.padding, deinterleave: s == 2, into: padded)
        depthwiseCorrelate(
          padded, layout: layout, kernel: k, filter: weight.data + ch * k * k, output: y.data + p * oh * ow,
          outPitch: ow, oh: oh, ow: ow, accumulate: false)
      }
    }
    if grad {
      // The output gradient lands at rows and columns P + s * r of a plane of side h + d(k-1), w + d(k-1).
      let back = d * (k - 1) - g.padding
      require(back >= 0, "depthwise conv: padding above d(k-1) is not supported")
      let hg = h + d * (k - 1)
      let wg = w + d * (k - 1)
      let gradientLayout = TapLayout(paddedWidth: wg, kernel: k, stride: 1, dilation: d)
      record(
        y, detail: "k\(k) s\(s) d\(d) \(oh)x\(ow) c\(c)", flops: 2 * Double(y.count * k * k)
      ) { [parallel] in
        guard let gy = y.grad else { return }
        let target = x.requiresGrad ? x.gradientTarget() : nil
        let needW = weight.requiresGrad
        let wsize = c * k * k
        let parts = parallel.parts(planes)
        parallel.forEachRange(planes) { part, r in
          let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
          let gplane = scratch.buffer(part: part, slot: 1, count: hg * wg)
          let gwPart = scratch.buffer(part: part, slot: 2, count: wsize)
          let flipped = scratch.buffer(part: part, slot: 3, count: k * k)
          if needW {
            gwPart.update(repeating: 0, count: wsize)
            padded.update(repeating: 0, count: hp * wp)
          }
          if target != nil { gplane.update(repeating: 0, count: hg * wg) }
          var flippedChannel = -1
          for p in r {
            let ch = p % c
            let gyp = gy.data + p * oh * ow
            if needW {
              preparePlane(x.data + p * h * w, h: h, w: w, padding: g.padding, deinterleave: s == 2, into: padded)
              switch k {
              case 3:
                depthwiseFilterGradient3(
                  padded, layout: layout, outputGradient: gyp, oh: oh, ow: ow, into: gwPart + ch * k * k)
              case 5:
                depthwiseFilterGradient5(
                  padded, layout: layout, outputGradient: gyp, oh: oh, ow: ow, into: gwPart + ch * k * k)
              default:
                depthwiseFilterGradient(
                  padded, layout: layout, kernel: k, outputGradient: gyp, oh: oh, ow: ow, into: gwPart + ch * k * k)
              }
            }
            if let (gx, accumulate) = target {
              if flippedChannel != ch {
                let f = weight.data + ch * k * k
                for i in 0..<(k * k) { flipped[i] = f[k * k - 1 - i] }
                flippedChannel = ch
              }
              if s == 1 {
                for i in 0..<oh { vectorCopy(gyp + i * ow, gplane + (back + i) * wg + back, ow) }
              } else {
                for i in 0..<oh {
                  spreadStrided(gyp + i * ow, ow, stride: s, into: gplane + (back + s * i) * wg + back, room: wg - back)
                }
              }
              depthwiseCorrelate(
                gplane, layout: gradientLayout, kernel: k, filter: flipped, output: gx + p * h * w, outPitch: w,
                oh: h, ow: w, accumulate: accumulate)
            }
          }
        }
        if needW { scratch.addParts(slot: 2, parts: parts, count: wsize, into: weight.gradient().data) }
      }
    }
    return y
  }
}
