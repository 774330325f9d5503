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
    precondition(kh == kw, "conv2d: square kernels only, got \(weight.shape)")
    let geometry = ConvGeometry(kernel: kh, stride: stride, padding: padding, dilation: dilation)
    if groups == 1 {
      precondition(cinPerGroup == cin, "conv2d: weight \(weight.shape) for input \(x.shape)")
      if kh == 1 && padding == 0 {
        return pointwiseConv(x, weight: weight, stride: stride)
      }
      return denseConv(x, weight: weight, geometry: geometry)
    }
    precondition(
      groups == cin && cout == cin && cinPerGroup == 1,
      "conv2d: only dense and depthwise convolutions are supported (groups \(groups), weight \(weight.shape))")
    return depthwiseConv(x, weight: weight, geometry: geometry)
  }

  // MARK: 1x1

  /// 1x1 convolution with stride s: Y[n] = W X_s[n], X_s the input subsampled by s.
  /// dX_s[n] = W^T dY[n]; dW = sum_n dY[n] X_s[n]^T.
  func pointwiseConv(_ x: Tensor, weight: Tensor, stride: Int) -> Tensor {
    let (n, cin, h, w) = x.nchw
    let cout = weight.shape[0]
    let oh = (h - 1) / stride + 1
    let ow = (w - 1) / stride + 1
    let ohw = oh * ow
    let grad = needsGradient(x, weight)
    let y = output([n, cout, oh, ow], grad: grad)
    let scratch = self.scratch
    parallel.forEachRange(n) { part, r in
      let sub = stride == 1 ? nil : scratch.buffer(part: part, slot: 0, count: cin * ohw)
      for b in r {
        var src = x.data + b * cin * h * w
        if let sub {
          subsample(src, into: sub, planes: cin, h: h, w: w, stride: stride)
          src = sub
        }
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(ohw), Int32(cin), 1, weight.data,
          Int32(cin), src, Int32(ohw), 0, y.data + b * cout * ohw, Int32(ohw))
      }
    }
    if grad {
      record { [parallel] in
        guard let gy = y.grad else { return }
        let gx = x.requiresGrad ? x.gradient().data : nil
        let needW = weight.requiresGrad
        let wsize = cout * cin
        let parts = parallel.parts(n)
        parallel.forEachRange(n) { part, r in
          let gwPart = scratch.buffer(part: part, slot: 1, count: wsize)
          if needW { gwPart.update(repeating: 0, count: wsize) }
          let sub = stride == 1 ? nil : scratch.buffer(part: part, slot: 0, count: cin * ohw)
          for b in r {
            let gyb = gy.data + b * cout * ohw
            if needW {
              var src = x.data + b * cin * h * w
              if let sub {
                subsample(src, into: sub, planes: cin, h: h, w: w, stride: stride)
                src = sub
              }
              cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(cin), Int32(ohw), 1, gyb,
                Int32(ohw), src, Int32(ohw), 1, gwPart, Int32(cin))
            }
            if let gx {
              if let sub {
                cblas_sgemm(
                  CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cin), Int32(ohw), Int32(cout), 1, weight.data,
                  Int32(cin), gyb, Int32(ohw), 0, sub, Int32(ohw))
                scatterAdd(sub, into: gx + b * cin * h * w, planes: cin, h: h, w: w, stride: stride)
              } else {
                cblas_sgemm(
                  CblasRowMajor, CblasTrans, CblasNoTrans, Int32(cin), Int32(ohw), Int32(cout), 1, weight.data,
                  Int32(cin), gyb, Int32(ohw), 1, gx + b * cin * h * w, Int32(ohw))
              }
            }
          }
        }
        if needW {
          let gw = weight.gradient().data
          for part in 0..<parts {
            let p = scratch.buffer(part: part, slot: 1, count: wsize)
            for i in 0..<wsize { gw[i] += p[i] }
          }
        }
      }
    }
    return y
  }

  // MARK: depthwise

  /// Depthwise convolution: y[c] = x[c] (*) w[c], one k x k filter per channel.
  /// Each plane is copied into a zero-padded scratch plane so the inner loops carry no bounds tests.
  func depthwiseConv(_ x: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    let (n, c, h, w) = x.nchw
    let k = g.kernel
    let oh = g.outputSize(h)
    let ow = g.outputSize(w)
    let hp = h + 2 * g.padding
    let wp = w + 2 * g.padding
    let grad = needsGradient(x, weight)
    let y = output([n, c, oh, ow], grad: grad)
    let scratch = self.scratch
    let planes = n * c
    parallel.forEachRange(planes) { part, r in
      let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
      padded.update(repeating: 0, count: hp * wp)
      for p in r {
        let ch = p % c
        padPlane(x.data + p * h * w, into: padded, h: h, w: w, padding: g.padding)
        depthwisePlaneForward(
          padded, wp: wp, filter: weight.data + ch * k * k, output: y.data + p * oh * ow, oh: oh, ow: ow,
          geometry: g)
      }
    }
    if grad {
      record { [parallel] in
        guard let gy = y.grad else { return }
        let gx = x.requiresGrad ? x.gradient().data : nil
        let needW = weight.requiresGrad
        let wsize = c * k * k
        let parts = parallel.parts(planes)
        parallel.forEachRange(planes) { part, r in
          let padded = scratch.buffer(part: part, slot: 0, count: hp * wp)
          let gpadded = scratch.buffer(part: part, slot: 1, count: hp * wp)
          let gwPart = scratch.buffer(part: part, slot: 2, count: wsize)
          if needW { gwPart.update(repeating: 0, count: wsize) }
          padded.update(repeating: 0, count: hp * wp)
          for p in r {
            let ch = p % c
            let gyp = gy.data + p * oh * ow
            if needW {
              padPlane(x.data + p * h * w, into: padded, h: h, w: w, padding: g.padding)
              depthwisePlaneFilterGradient(
                padded, wp: wp, outputGradient: gyp, oh: oh, ow: ow, geometry: g, into: gwPart + ch * k * k)
            }
            if let gx {
              gpadded.update(repeating: 0, count: hp * wp)
              depthwisePlaneInputGradient(
                gyp, oh: oh, ow: ow, filter: weight.data + ch * k * k, geometry: g, into: gpadded, wp: wp)
              let dst = gx + p * h * w
              for i in 0..<h {
                let row = gpadded + (i + g.padding) * wp + g.padding
                let d = dst + i * w
                for j in 0..<w { d[j] += row[j] }
              }
            }
          }
        }
        if needW {
          let gw = weight.gradient().data
          for part in 0..<parts {
            let p = scratch.buffer(part: part, slot: 2, count: wsize)
            for i in 0..<wsize { gw[i] += p[i] }
          }
        }
      }
    }
    return y
  }

  // MARK: dense k x k

  /// Dense convolution by im2col: Y[n] = W col(X[n]); dW += dY[n] col^T; dX[n] = col2im(W^T dY[n]).
  func denseConv(_ x: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    let (n, cin, h, w) = x.nchw
    let cout = weight.shape[0]
    let k = g.kernel
    let oh = g.outputSize(h)
    let ow = g.outputSize(w)
    let ohw = oh * ow
    let rows = cin * k * k
    let grad = needsGradient(x, weight)
    let y = output([n, cout, oh, ow], grad: grad)
    let scratch = self.scratch
    parallel.forEachRange(n) { part, r in
      let col = scratch.buffer(part: part, slot: 0, count: rows * ohw)
      for b in r {
        im2col(x.data + b * cin * h * w, channels: cin, h: h, w: w, geometry: g, oh: oh, ow: ow, into: col)
        cblas_sgemm(
          CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(cout), Int32(ohw), Int32(rows), 1, weight.data,
          Int32(rows), col, Int32(ohw), 0, y.data + b * cout * ohw, Int32(ohw))
      }
    }
    if grad {
      record { [parallel] in
        guard let gy = y.grad else { return }
        let gx = x.requiresGrad ? x.gradient().data : nil
        let needW = weight.requiresGrad
        let wsize = cout * rows
        let parts = parallel.parts(n)
        parallel.forEachRange(n) { part, r in
          let col = scratch.buffer(part: part, slot: 0, count: rows * ohw)
          let gwPart = scratch.buffer(part: part, slot: 1, count: wsize)
          if needW { gwPart.update(repeating: 0, count: wsize) }
          for b in r {
            let gyb = gy.data + b * cout * ohw
            if needW {
              im2col(x.data + b * cin * h * w, channels: cin, h: h, w: w, geometry: g, oh: oh, ow: ow, into: col)
              cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(cout), Int32(rows), Int32(ohw), 1, gyb,
                Int32(ohw), col, Int32(ohw), 1, gwPart, Int32(rows))
            }
            if let gx {
              cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, Int32(rows), Int32(ohw), Int32(cout), 1, weight.data,
                Int32(rows), gyb, Int32(ohw), 0, col, Int32(ohw))
              col2imAdd(col, channels: cin, h: h, w: w, geometry: g, oh: oh, ow: ow, into: gx + b * cin * h * w)
            }
          }
        }
        if needW {
          let gw = weight.gradient().data
          for part in 0..<parts {
            let p = scratch.buffer(part: part, slot: 1, count: wsize)
            for i in 0..<wsize { gw[i] += p[i] }
          }
        }
      }
    }
    return y
  }
}
