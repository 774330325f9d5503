import Foundation

extension Tape {
  /// ReLU: y = max(x, 0); dx = dy where y > 0.
  ///
  /// A channel concatenation view is read part by part, and dx goes straight into the parts' gradients.
  public func relu(_ x: Tensor) -> Tensor {
    let grad = needsGradient(x)
    let y = output(x.shape, grad: grad)
    let n = x.count
    let yp = y.data
    if x.distinctParts != nil {
      let runs = ChannelRuns(x)
      let sources = runs.sources(of: x, tape: self)
      parallel.forEachRange(runs.count) { _, r in
        for i in r {
          let (k, source, destination, length) = runs.run(i)
          vectorRelu(sources[k] + source, yp + destination, length)
        }
      }
    } else {
      let xp = materialize(x)
      parallel.forEachRange(n, minPerPart: 1 << 15) { _, r in
        vectorRelu(xp + r.lowerBound, yp + r.lowerBound, r.count)
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gyp = y.grad?.data else { return }
        if x.distinctParts != nil {
          let runs = ChannelRuns(x)
          let targets = runs.gradientTargets(of: x)
          parallel.forEachRange(runs.count) { _, r in
            for i in r {
              let (k, source, destination, length) = runs.run(i)
              guard let (gx, accumulate) = targets[k] else { continue }
              vectorReluGradient(gyp + destination, yp + destination, gx + source, length, accumulate: accumulate)
            }
          }
          return
        }
        let (gx, accumulate) = x.gradientTarget(donatedBy: y)
        parallel.forEachRange(n, minPerPart: 1 << 15) { _, r in
          let lo = r.lowerBound
          vectorReluGradient(gyp + lo, yp + lo, gx + lo, r.count, accumulate: accumulate)
        }
      }
    }
    return y
  }

  /// A linear combination with constant coefficients: y = sum_k c_k x_k (all of one shape); dx_k = c_k dy.
  ///
  /// Both directions are vector loops over blocks that stay in L1 while every term is added in, split over
  /// the threads by element. Backward hands dy's buffer to the first term with c_k = 1 that has no
  /// gradient yet and appears once (its gradient is dy itself, so nothing is written for it), as the
  /// element-wise ops do.
  public func combine(_ terms: [(Tensor, Float)]) -> Tensor {
    require(!terms.isEmpty, "combine needs at least one term")
    let shape = terms[0].0.shape
    require(terms.allSatisfy { $0.0.shape == shape }, "combine: shapes differ")
    for (x, _) in terms { materialize(x) }
    let grad = needsGradient(terms.map(\.0))
    let y = output(shape, grad: grad)
    let n = y.count
    let yp = y.data
    let chunk = Self.weightedSumChunk
    parallel.forEachRange(n, minPerPart: 1 << 14) { _, r in
      var lo = r.lowerBound
      while lo < r.upperBound {
        let len = min(chunk, r.upperBound - lo)
        for (t, (x, c)) in terms.enumerated() {
          vectorScaleAdd(x.data + lo, yp + lo, len, scale: c, accumulate: t > 0)
        }
        lo += len
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gyp = gy.data
        // Where each term's gradient goes: nil when it needs none or when it took dy's buffer. A tensor may
        // appear in several terms: only its first term may overwrite a fresh gradient.
        var targets: [(UnsafeMutablePointer<Float>, Bool)?] = []
        var donated = false
        for (x, c) in terms {
          if !x.requiresGrad {
            targets.append(nil)
          } else if let g = x.grad?.data, targets.contains(where: { $0?.0 == g }) {
            targets.append((g, true))
          } else if !donated, c == 1, x.grad == nil, terms.filter({ $0.0 === x }).count == 1 {
            let target = x.gradientTarget(donatedBy: y)
            donated = target.0 == gyp
            targets.append(donated ? nil : target)
          } else {
            targets.append(x.gradientTarget())
          }
        }
        let active = targets.compactMap { $0 }
        guard !active.isEmpty else { return }
        let scales = zip(terms, targets).compactMap { term, target in target == nil ? nil : term.1 }
        parallel.forEachRange(n, minPerPart: 1 << 14) { _, r in
          var lo = r.lowerBound
          while lo < r.upperBound {
            let len = min(chunk, r.upperBound - lo)
            for (k, (gx, accumulate)) in active.enumerated() {
              vectorScaleAdd(gyp + lo, gx + lo, len, scale: scales[k], accumulate: accumulate)
            }
            lo += len
          }
        }
      }
    }
    return y
  }

  /// y = a + b.
  public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    combine([(a, 1), (b, 1)])
  }

  /// Multiplication by one element of a tensor, the architecture weight of a DARTS edge:
  /// y = s[index] * x; dx = s dy, ds[index] = <dy, x>.
  public func scale(_ x: Tensor, by s: Tensor, at index: Int = 0) -> Tensor {
    weightedSum([(x, index)], weights: s, shape: x.shape)
  }

  /// Floats per block of `weightedSum` (16 KB: output block and one term block stay in L1).
  static let weightedSumChunk = 4096

  /// y = sum_k w[i_k] * x_k: the DARTS mixed op and node sum in one pass over memory.
  ///
  /// Gradients: dx_k = w[i_k] dy and dw[i_k] = <dy, x_k>. The dot products are summed per thread
  /// range and then in range order, so they are deterministic for a fixed thread count.
  public func weightedSum(_ terms: [(Tensor, Int)], weights w: Tensor, shape: [Int]) -> Tensor {
    for (x, _) in terms { materialize(x) }
    let chunk = Self.weightedSumChunk
    let grad = needsGradient(terms.map(\.0) + [w])
    let y = output(shape, grad: grad)
    let n = y.count
    require(terms.allSatisfy { $0.0.count == n }, "weightedSum: sizes differ")
    let yp = y.data
    let wp = w.data
    if terms.isEmpty {
      yp.update(repeating: 0, count: n)
      return y
    }
    // Chunks small enough to stay in L1 while every term is added in.
    parallel.forEachRange(n, minPerPart: 1 << 14) { _, r in
      var lo = r.lowerBound
      while lo < r.upperBound {
        let len = min(chunk, r.upperBound - lo)
        for (t, (x, k)) in terms.enumerated() {
          vectorScaleAdd(x.data + lo, yp + lo, len, scale: wp[k], accumulate: t > 0)
        }
        lo += len
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gyp = gy.data
        let parts = parallel.parts(n, minPerPart: 1 << 14)
        var dots = [Double](repeating: 0, count: parts * terms.count)
        let needW = w.requiresGrad
        // A tensor may appear in several terms: only its first term may overwrite a fresh gradient.
        var gradPointers: [(UnsafeMutablePointer<Float>, Bool)?] = []
        for (x, _) in terms {
          if !x.requiresGrad {
            gradPointers.append(nil)
          } else if gradPointers.contains(where: { $0 != nil && $0!.0 == x.grad?.data }) {
            gradPointers.append((x.grad!.data, true))
          } else {
            gradPointers.append(x.gradientTarget())
          }
        }
        dots.withUnsafeMutableBufferPointer { dotBuffer in
          let dotp = dotBuffer.baseAddress!
          parallel.forEachRange(n, minPerPart: 1 << 14) { part, r in
            let row = dotp + part * terms.count
            var lo = r.lowerBound
            while lo < r.upperBound {
              let len = min(chunk, r.upperBound - lo)
              for (t, (x, k)) in terms.enumerated() {
                if let (gx, accumulate) = gradPointers[t] {
                  vectorScaleAdd(gyp + lo, gx + lo, len, scale: wp[k], accumulate: accumulate)
                }
                if needW { row[t] += Double(vectorDot(gyp + lo, x.data + lo, len)) }
              }
              lo += len
            }
          }
        }
        if needW {
          let gw = w.gradient().data
          for (t, (_, k)) in terms.enumerated() {
            var s = 0.0
            for part in 0..<parts { s += dots[part * terms.count + t] }
            gw[k] += Float(s)
          }
        }
      }
    }
    return y
  }

  /// Global average pooling: [N, C, H, W] to [N, C]; y = mean over H, W; dx = dy / (H W) everywhere.
  ///
  /// A channel concatenation view is read part by part, and dx goes straight into the parts' gradients.
  public func globalAveragePool(_ x: Tensor) -> Tensor {
    let (n, c, h, w) = x.nchw
    let hw = h * w
    let grad = needsGradient(x)
    let y = output([n, c], grad: grad)
    let inv = 1 / Float(hw)
    let yp = y.data
    if hw == 0 {
      // The mean of no values, as PyTorch gives it; x has no elements to take a gradient.
      yp.update(repeating: .nan, count: n * c)
      return y
    }
    let runs = ChannelRuns(x)
    let sources = runs.sources(of: x, tape: self)
    parallel.forEachRange(runs.count) { _, r in
      for i in r {
        let (k, source, destination, length) = runs.run(i)
        for q in 0..<(length / hw) {
          yp[destination / hw + q] = vectorSum(sources[k] + source + q * hw, hw) * inv
        }
      }
    }
    if grad {
      record(y) { [parallel] in
        guard let gy = y.grad else { return }
        let gyp = gy.data
        let targets = runs.gradientTargets(of: x)
        parallel.forEachRange(runs.count) { _, r in
          for i in r {
            let (k, source, destination, length) = runs.run(i)
            guard let (gx, accumulate) = targets[k] else { continue }
            for q in 0..<(length / hw) {
              vectorFill(gyp[destination / hw + q] * inv, gx + source + q * hw, hw, accumulate: accumulate)
            }
          }
        }
      }
    }
    return y
  }

  /// Softmax along the last dimension of a 2-D tensor [rows, k]:
  /// y_j = exp(x_j - max x) / sum_i exp(x_i - max x); dx = y * (dy - <dy, y>).
  public func softmax(_ x: Tensor) -> Tensor {
    let k = x.shape.last!
    let rows = x.count / k
    let grad = needsGradient(x)
    let y = output(x.shape, grad: grad)
    for r in 0..<rows {
      let xp = x.data + r * k
      let yp = y.data + r * k
      var m = -Float.infinity
      for j in 0..<k { m = max(m, xp[j]) }
      var s: Float = 0
      for j in 0..<k {
        yp[j] = exp(xp[j] - m)
        s += yp[j]
      }
      for j in 0..<k { yp[j] /= s }
    }
    if grad {
      record(y) {
        guard let gy = y.grad else { return }
        let gx = x.gradient().data
        for r in 0..<rows {
          let yp = y.data + r * k
          let gyp = gy.data + r * k
          var dot: Float = 0
          for j in 0..<k { dot += gyp[j] * yp[j] }
          for j in 0..<k { gx[r * k + j] += yp[j] * (gyp[j] - dot) }
        }
      }
    }
    return y
  }
}

extension Tensor {
  /// The four dimensions of an NCHW tensor.
  public var nchw: (Int, Int, Int, Int) {
    require(shape.count == 4, "expected NCHW, got \(shape)")
    return (shape[0], shape[1], shape[2], shape[3])
  }
}
