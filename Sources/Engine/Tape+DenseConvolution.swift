import CBLAS
import Foundation

extension Tape {
  /// Dense convolution. 3x3 with stride 1 and padding 1 (the stem) runs the direct kernels of
  /// `Kernels+Direct.swift`; a window that covers the whole unpadded input (the auxiliary head's 2x2 on
  /// 2x2) is one GEMM over the images; other geometries use im2col and GEMM.
  func denseConv(_ x: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
    if g == ConvGeometry(kernel: 3, stride: 1, padding: 1, dilation: 1) {
      return directConv3x3(x, weight: weight)
    }
    let (_, _, h, w) = x.nchw
    if g.padding == 0 && g.dilation == 1 && h == g.kernel && w == g.kernel {
      return wholeWindowConv(x, weight: weight)
    }
    return im2colConv(x, weight: weight, geometry: g)
  }

  /// Dense convolution whose k x k window covers the whole unpadded k x k input, output 1 x 1 at any
  /// stride (DARTS `AuxiliaryHeadCIFAR`'s `Conv2d(128, 768, 2)` on 2x2). An image's C k k values in memory
  /// order are its im2col column, so the convolution is the fully connected layer
  /// Y[N, O] = X[N, C k k] W[O, C k k]^T: one GEMM per thread over its images instead of a matrix-vector
  /// product per image. Backward: dX = dY W, split by images; dW += dY^T X, split by output channels, so
  /// each weight's sum over the images lies inside one GEMM and needs no per-thread partial sums.
  func wholeWindowConv(_ x: Tensor, weight: Tensor) -> Tensor {
    let (n, cin, h, w) = x.nchw
    let cout = weight.shape[0]
    let rows = cin * h * w
    let grad = needsGradient(x, weight)
    let y = output([n, cout, 1, 1], grad: grad)
    let xp = x.data
    let wp = weight.data
    let yp = y.data
    parallel.forEachRange(n) { _, r in
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(r.count), Int32(cout), Int32(rows), 1, xp + r.lowerBound * rows,
        Int32(rows), wp, Int32(rows), 0, yp + r.lowerBound * cout, Int32(cout))
    }
    if grad {
      record(y, flops: 2 * Double(y.count * (weight.count / cout))) { [parallel] in
        guard let gy = y.grad else { return }
        let gyp = gy.data
        if x.requiresGrad {
          let (gx, accumulate) = x.gradientTarget()
          parallel.forEachRange(n) { _, r in
            cblas_sgemm(
              CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(r.count), Int32(rows), Int32(cout), 1,
              gyp + r.lowerBound * cout, Int32(cout), wp, Int32(rows), accumulate ? 1 : 0, gx + r.lowerBound * rows,
              Int32(rows))
          }
        }
        if weight.requiresGrad {
          let (gw, accumulate) = weight.gradientTarget()
          parallel.forEachRange(cout) { _, r in
            cblas_sgemm(
              CblasRowMajor, CblasTrans, CblasNoTrans, Int32(r.count), Int32(rows), Int32(n), 1, gyp + r.lowerBound,
              Int32(cout), xp, Int32(rows), accumulate ? 1 : 0, gw + r.lowerBound * rows, Int32(rows))
          }
        }
      }
    }
    return y
  }

  /// Direct 3x3 convolution, stride 1, padding 1: y[o] = sum_c w[o, c] (*) x[c].
  ///
  /// Backward: dW[o, c, ky, kx] = sum_{n, i, j} dy[o, i, j] xpad[c, i + ky, j + kx] (per thread over its
  /// images, then summed in thread order), and dx is the same forward kernel run on dy padded by one with
  /// the flipped, transposed filter w'[c, o, ky, kx] = w[o, c, 2 - ky, 2 - kx].
  func directConv3x3(_ x: Tensor, weight: Tensor) -> Tensor {
    let (n, cin, h, w) = x.nchw
    let cout = weight.shape[0]
    let plane = DirectConvolution.planeCount(h: h, w: w)
    let grad = needsGradient(x, weight)
    let y = output([n, cout, h, w], grad: grad)
    let scratch = self.scratch
    let shared = parallel.threads
    let packed = scratch.buffer(part: shared, slot: 5, count: DirectConvolution.packedCount(outputs: cout, inputs: cin))
    packDirectFilter(weight.data, outputs: cout, inputs: cin, transposed: false, into: packed)
    parallel.forEachRange(n) { part, r in
      let padded = scratch.buffer(part: part, slot: 0, count: cin * plane)
      for b in r {
        padPlanes(x.data + b * cin * h * w, planes: cin, h: h, w: w, into: padded)
        directConvolution3x3(
          padded: padded, inputs: cin, h: h, w: w, packed: packed, outputs: cout, into: y.data + b * cout * h * w,
          accumulate: false)
      }
    }
    if grad {
      record(y, flops: 2 * Double(y.count * (weight.count / cout))) { [parallel] in
        guard let gy = y.grad else { return }
        let target = x.requiresGrad ? x.gradientTarget() : nil
        let needW = weight.requiresGrad
        let wsize = cout * cin * 9
        let parts = parallel.parts(n)
        let transposed = scratch.buffer(
          part: shared, slot: 6, count: DirectConvolution.packedCount(outputs: cin, inputs: cout))
        if target != nil {
          packDirectFilter(weight.data, outputs: cin, inputs: cout, transposed: true, into: transposed)
        }
        let lanes = WideVector.scalarCount
        parallel.forEachRange(n) { part, r in
          let gwPart = scratch.buffer(part: part, slot: 1, count: wsize)
          let gwVectors = scratch.buffer(part: part, slot: 3, count: wsize * lanes)
          if needW { gwVectors.update(repeating: 0, count: wsize * lanes) }
          defer { if needW { reduceFilterGradient(gwVectors, count: wsize, into: gwPart) } }
          let paddedGradient = scratch.buffer(part: part, slot: 2, count: cout * plane)
          for b in r {
            padPlanes(gy.data + b * cout * h * w, planes: cout, h: h, w: w, into: paddedGradient)
            if needW {
              let padded = scratch.buffer(part: part, slot: 0, count: cin * plane)
              padPlanes(x.data + b * cin * h * w, planes: cin, h: h, w: w, into: padded)
              directFilterGradient3x3(
                padded: padded, inputs: cin, h: h, w: w, paddedGradient: paddedGradient, outputs: cout,
                into: gwVectors)
            }
            if let (gx, accumulate) = target {
              directConvolution3x3(
                padded: paddedGradient, inputs: cout, h: h, w: w, packed: transposed, outputs: cin,
                into: gx + b * cin * h * w, accumulate: accumulate)
            }
          }
        }
        if needW { scratch.addParts(slot: 1, parts: parts, count: wsize, into: weight.gradient().data) }
      }
    }
    return y
  }

  /// Dense convolution by im2col: Y[n] = W col(X[n]); dW += dY[n] col^T; dX[n] = col2im(W^T dY[n]).
  func im2colConv(_ x: Tensor, weight: Tensor, geometry g: ConvGeometry) -> Tensor {
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
      record(y, flops: 2 * Double(y.count * (weight.count / cout))) { [parallel] in
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
        if needW { scratch.addParts(slot: 1, parts: parts, count: wsize, into: weight.gradient().data) }
      }
    }
    return y
  }
}
