import Foundation

/// One term of `Tape.normalizedWeightedSum`: a tensor, the index of its weight, and whether a batch norm
/// without affine parameters (PyTorch `BatchNorm2d(affine=False)`) comes between the tensor and the sum.
public struct WeightedTerm: @unchecked Sendable {
  public var x: Tensor
  /// The element of the weights tensor that scales this term.
  public var index: Int
  /// Whether the term is normalised before it is weighted.
  public var isNormalized: Bool
  /// The normalisation's running statistics: updated in training, used in evaluation (nil: batch
  /// statistics in either mode).
  public var running: RunningStatistics?

  /// A term `w[index] * x`.
  public init(_ x: Tensor, index: Int) {
    self.x = x
    self.index = index
    isNormalized = false
  }

  /// A term `w[index] * BN(x)`, BN affine-free with `running` statistics.
  public init(normalizing x: Tensor, index: Int, running: RunningStatistics?) {
    self.x = x
    self.index = index
    isNormalized = true
    self.running = running
  }
}

extension Tape {
  /// y = sum_t w[i_t] * BN_t(x_t), where BN_t is an affine-free batch norm for a normalised term and the
  /// identity for a plain one: the DARTS mixed ops of a node, whose primitives end in `BatchNorm2d(affine=
  /// False)` (pools, sep/dil convs, FactorizedReduce), summed without materialising any normalised output.
  ///
  /// With BN_t(x) = (x - m_tc) s_tc per channel c (s = 1 / sqrt(var + eps), batch statistics in training,
  /// running ones in evaluation, exactly as `batchNorm(_:running:training:)` computes and updates them):
  /// y_c = sum_t a_tc x_t,c + b_c with a_tc = w[i_t] s_tc and b_c = -sum_t a_tc m_tc.
  ///
  /// Backward, with M = N H W, S_c = sum dy_c and D_tc = sum dy_c (x_t,c - m_tc):
  /// dw[i_t] += sum_c s_tc D_tc (the dot of dy with the normalised term); in training dx_t = A dy + B x_t + C
  /// with A = w s, B = -w s^3 D / M, C = -w s S / M - B m (BN's backward with gamma = w); in evaluation
  /// dx_t = w s dy; for a plain term dx_t = w dy and dw[i_t] += <dy, x_t>.
  ///
  /// Against `batchNorm` + `weightedSum`, forward reads each x twice and writes y once (instead of reading
  /// x twice, writing and reading BN(x), and writing y), and backward reads dy and each x twice and writes
  /// each dx once (instead of also writing and reading each BN's dy). Work is split by images; per-thread
  /// sums are combined in thread order, so results are deterministic for a fixed thread count.
  public func normalizedWeightedSum(
    _ terms: [WeightedTerm], weights w: Tensor, shape: [Int], training: Bool, eps: Float = 1e-5
  ) -> Tensor {
    guard terms.contains(where: \.isNormalized) else {
      return weightedSum(terms.map { ($0.x, $0.index) }, weights: w, shape: shape)
    }
    for term in terms { materialize(term.x) }
    require(shape.count == 4, "normalizedWeightedSum: shape \(shape) is not NCHW")
    require(terms.allSatisfy { $0.x.shape == shape }, "normalizedWeightedSum: shapes differ from \(shape)")
    let (n, c, hw) = (shape[0], shape[1], shape[2] * shape[3])
    let m = n * hw
    let count = terms.count
    let grad = needsGradient(terms.map(\.x) + [w])
    let y = output(shape, grad: grad)
    let parts = parallel.parts(n)
    let wp = w.data
    let pointers = terms.map { UnsafePointer($0.x.data) }
    let (isBatch, means, invStds) = termStatistics(
      pointers, normalized: terms.map(\.isNormalized), running: terms.map(\.running), training: training, eps: eps,
      shape: (n, c, hw), moments: terms.map(\.x.planeMoments))
    let batchTerms = terms.indices.filter { isBatch[$0] }
    // y = sum_t a_tc x_t + b_c, walking the images backwards: pass 1, where it reads the terms, read them last.
    var scales = [Float](repeating: 0, count: count * c)
    var offsets = [Float](repeating: 0, count: c)
    for t in terms.indices {
      for ch in 0..<c {
        let a = wp[terms[t].index] * invStds[t * c + ch]
        scales[t * c + ch] = a
        offsets[ch] -= a * means[t * c + ch]
      }
    }
    let yp = y.data
    parallel.forEachRange(n) { _, r in
      for b in r.reversed() {
        for ch in (0..<c).reversed() {
          let o = (b * c + ch) * hw
          vectorAffine(pointers[0] + o, yp + o, hw, scale: scales[ch], shift: offsets[ch], accumulate: false)
          for t in 1..<count {
            vectorScaleAdd(pointers[t] + o, yp + o, hw, scale: scales[t * c + ch], accumulate: true)
          }
        }
      }
    }
    guard grad else { return y }
    record(y) { [parallel] in
      guard let gy = y.grad else { return }
      let gyp = UnsafePointer(gy.data)
      let needW = w.requiresGrad
      // Pass 1: S_c (index count) and D_tc per thread; a plain term's D is its dot <dy, x> (for dw only).
      let width = count + 1
      var sums = [Double](repeating: 0, count: parts * width * c)
      let needBatchSums = !batchTerms.isEmpty
      sums.withUnsafeMutableBufferPointer { buffer in
        let sp = buffer.baseAddress!
        parallel.forEachRange(n) { part, r in
          let row = sp + part * width * c
          for b in r.reversed() {
            for ch in (0..<c).reversed() {
              let o = (b * c + ch) * hw
              var sumDy: Float?
              for t in 0..<count where needW || isBatch[t] {
                let (s, d) = vectorSumAndCenteredDot(gyp + o, pointers[t] + o, hw, mean: means[t * c + ch])
                sumDy = s
                row[t * c + ch] += Double(d)
              }
              if needBatchSums { row[count * c + ch] += Double(sumDy ?? vectorSum(gyp + o, hw)) }
            }
          }
        }
      }
      var totals = [Double](repeating: 0, count: width * c)
      for part in 0..<parts {
        for k in 0..<(width * c) { totals[k] += sums[part * width * c + k] }
      }
      if needW {
        let gw = w.gradient().data
        for t in 0..<count {
          var dot = 0.0
          for ch in 0..<c { dot += Double(invStds[t * c + ch]) * totals[t * c + ch] }
          gw[terms[t].index] += Float(dot)
        }
      }
      // dx_t = A dy + B x_t + C per channel.
      var coefficients = [Float](repeating: 0, count: count * c * 3)
      for t in 0..<count {
        let weight = wp[terms[t].index]
        for ch in 0..<c {
          let j = t * c + ch
          let inv = invStds[j]
          coefficients[3 * j] = weight * inv
          if isBatch[t] {
            let k = weight * inv / Float(m)
            let bx = -k * Float(totals[j]) * inv * inv
            coefficients[3 * j + 1] = bx
            coefficients[3 * j + 2] = -k * Float(totals[count * c + ch]) - bx * means[j]
          }
        }
      }
      Self.writeTermGradients(
        gy, terms: terms.map(\.x), pointers: pointers, normalized: terms.map(\.isNormalized),
        coefficients: coefficients, isBatch: isBatch, factors: nil, shape: (n, c, hw), parallel: parallel)
    }
    return y
  }
}

extension Tape {
  /// Where each term's gradient goes (nil for a term that needs none): a tensor may appear in several
  /// terms, and only its first term may overwrite a fresh gradient; the later ones add to it.
  /// A tensor marked in `skipping` gets none.
  static func gradientTargets(
    _ tensors: [Tensor], skipping: [Bool]? = nil
  ) -> [(UnsafeMutablePointer<Float>, accumulate: Bool)?] {
    var targets: [(UnsafeMutablePointer<Float>, accumulate: Bool)?] = []
    for (t, x) in tensors.enumerated() {
      if !x.requiresGrad || skipping?[t] == true {
        targets.append(nil)
      } else if targets.contains(where: { $0 != nil && $0!.0 == x.grad?.data }) {
        targets.append((x.grad!.data, true))
      } else {
        targets.append(x.gradientTarget())
      }
    }
    return targets
  }

  /// The input gradients of a normalised sum's terms, plane by plane (split by images):
  /// dx_t (= or +=) A_tc f_t[b] dy + B_tc x_t + C_tc for a term normalised by batch statistics, A_tc f_t[b] dy
  /// otherwise, with (A, B, C) at `coefficients[3 (t c + ch)]` and f_t[b] the term's per-image factor (1
  /// without `factors` or without a factor for t). A term whose tensor needs no gradient is skipped; a
  /// normalised term whose producer takes a `PendingGradient` (and whose tensor is in no other term) gets
  /// one instead of a written dx.
  static func writeTermGradients(
    _ dyTensor: Tensor, terms: [Tensor], pointers: [UnsafePointer<Float>], normalized: [Bool],
    coefficients: [Float], isBatch: [Bool], factors: [[Float]?]?, shape: (n: Int, c: Int, hw: Int),
    parallel: Parallel
  ) {
    let (n, c, hw) = shape
    let dy = UnsafePointer(dyTensor.data)
    var deferred = [Bool](repeating: false, count: terms.count)
    for t in terms.indices where normalized[t] && terms[t].requiresGrad {
      guard terms.indices.allSatisfy({ $0 == t || terms[$0] !== terms[t] }) else { continue }
      let pending = PendingGradient(
        dy: dyTensor, x: pointers[t], coefficients: Array(coefficients[(3 * t * c)..<(3 * (t + 1) * c)]),
        isBatch: isBatch[t], factors: factors?[t] ?? nil, shape: shape)
      deferred[t] = terms[t].deferGradient(pending)
    }
    let targets = gradientTargets(terms, skipping: deferred)
    parallel.forEachRange(n) { _, r in
      for b in r {
        for ch in 0..<c {
          let o = (b * c + ch) * hw
          for t in terms.indices {
            guard let (gx, accumulate) = targets[t] else { continue }
            let j = t * c + ch
            let a = coefficients[3 * j] * (factors?[t]?[b] ?? 1)
            if isBatch[t] {
              vectorLinear2(
                dy + o, pointers[t] + o, gx + o, hw, a: a, b: coefficients[3 * j + 1], c: coefficients[3 * j + 2],
                accumulate: accumulate)
            } else {
              vectorScaleAdd(dy + o, gx + o, hw, scale: a, accumulate: accumulate)
            }
          }
        }
      }
    }
  }
}
