import Foundation

/// View ops: channel concatenation and spatial slicing make views instead of copies (`Tensor.View`).
extension Tape {
  /// Concatenation along the channel dimension of NCHW tensors with equal N, H, W, as a view.
  ///
  /// Nothing is copied here: the result reads its parts in place (`ChannelConcatenation`). ReLU, global
  /// average pooling and `seedGradient` read the parts and add their input gradient straight into the
  /// parts' gradients. Other ops read dense values (filled once, in parallel) and leave a dense gradient,
  /// which this op's backward splits: d x_k = dy[:, channels of x_k]. A tensor that appears twice is
  /// always read densely, so that its two gradient slices add up in order.
  public func concatChannels(_ xs: [Tensor]) -> Tensor {
    require(!xs.isEmpty, "concatChannels needs at least one tensor")
    let (n, _, h, w) = xs[0].nchw
    require(
      xs.allSatisfy { $0.shape.count == 4 && $0.shape[0] == n && $0.shape[2] == h && $0.shape[3] == w },
      "concatChannels: shapes \(xs.map(\.shape)) differ outside the channel dimension")
    let grad = needsGradient(xs)
    let y = Tensor(concatenating: xs, requiresGrad: grad)
    y.isIntermediate = true
    if grad {
      let view = y.concatenation!
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        // A tensor may appear twice: only its first occurrence may overwrite a fresh gradient.
        var targets: [(UnsafeMutablePointer<Float>, Bool)?] = []
        for x in xs {
          if !x.requiresGrad {
            targets.append(nil)
          } else if let g = x.grad, targets.contains(where: { $0?.0 == g.data }) {
            targets.append((g.data, true))
          } else {
            targets.append(x.gradientTarget())
          }
        }
        let gyp = gy.data
        // Runs of one image stay on one thread, in part order (see `ChannelConcatenation.run`).
        parallel.forEachRange(n) { _, r in
          for i in (r.lowerBound * xs.count)..<(r.upperBound * xs.count) {
            let (k, source, destination, length) = view.run(i)
            guard let (gx, accumulate) = targets[k] else { continue }
            vectorCopy(gyp + destination, gx + source, length, accumulate: accumulate)
          }
        }
      }
    }
    return y
  }

  /// The spatial slice x[:, :, top:, left:] of a 4-D tensor, as a view.
  ///
  /// Nothing is copied here (`SpatialSlice`): the stride-2 1x1 convolution and `seedGradient` read the base
  /// at the offset and write into its gradient; other ops read dense values (filled once, in parallel) and
  /// leave a dense gradient dy, which this op's backward places into dx at (top, left), zeros elsewhere.
  public func sliceSpatial(_ x: Tensor, top: Int, left: Int) -> Tensor {
    let grad = needsGradient(x)
    let y = Tensor(slicing: x, top: top, left: left, requiresGrad: grad)
    y.isIntermediate = true
    if grad {
      let slice = y.spatialSlice!
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let (gx, accumulate) = x.gradientTarget()
        let gyp = gy.data
        let (height, width) = (slice.height, slice.width)
        parallel.forEachRange(slice.planes, minPerPart: 16) { _, r in
          slice.placeGradient(planes: r, into: gx, accumulate: accumulate) { p, i, row in
            vectorCopy(gyp + (p * height + i) * width, row, width, accumulate: accumulate)
          }
        }
      }
    }
    return y
  }

  /// The dense values of `x`; for a view not read yet, what it shows is copied into its storage in
  /// parallel first (a plain `x.data` would copy on the calling thread alone).
  @discardableResult
  func materialize(_ x: Tensor) -> UnsafeMutablePointer<Float> {
    switch x.view {
    case nil:
      return x.data
    case .channels(let concatenation):
      return concatenation.contents { [parallel] copyRuns in
        parallel.forEachRange(concatenation.runCount) { _, r in copyRuns(r) }
      }
    case .spatialSlice(let slice):
      return slice.contents { [parallel] copyPlanes in
        parallel.forEachRange(slice.planes, minPerPart: 16) { _, r in copyPlanes(r) }
      }
    }
  }
}
