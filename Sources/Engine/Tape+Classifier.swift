import CBLAS
import Foundation

extension Tape {
  /// Fully connected layer: y = x W^T + b for x [N, F], W [O, F], b [O].
  /// dx = dy W, dW = dy^T x, db = sum_n dy.
  public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let n = x.shape[0]
    let f = x.count / n
    let o = weight.shape[0]
    require(weight.count == o * f, "linear: weight \(weight.shape) for input \(x.shape)")
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    let grad = needsGradient(inputs)
    let y = output([n, o], grad: grad)
    if let bias {
      for r in 0..<n { (y.data + r * o).update(from: bias.data, count: o) }
    }
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(o), Int32(f), 1, x.data, Int32(f),
      weight.data, Int32(f), bias == nil ? 0 : 1, y.data, Int32(o))
    if grad {
      record(y, flops: 2 * Double(n * o * f)) {
        guard let gy = y.grad else { return }
        if x.requiresGrad {
          cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(f), Int32(o), 1, gy.data, Int32(o),
            weight.data, Int32(f), 1, x.gradient().data, Int32(f))
        }
        if weight.requiresGrad {
          cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(o), Int32(f), Int32(n), 1, gy.data, Int32(o),
            x.data, Int32(f), 1, weight.gradient().data, Int32(f))
        }
        if let bias, bias.requiresGrad {
          let gb = bias.gradient().data
          for r in 0..<n { for j in 0..<o { gb[j] += gy.data[r * o + j] } }
        }
      }
    }
    return y
  }

  /// Cross-entropy of logits [N, K] against class indices, as PyTorch's `F.cross_entropy`.
  ///
  /// Unweighted: mean_n (logsumexp(z_n) - z_n[y_n]). With `classWeights` w: the weighted mean
  /// sum_n w[y_n] ce_n / sum_n w[y_n]. Gradient: w[y_n] / sum w[y] * (softmax(z_n) - onehot(y_n)).
  public func crossEntropy(_ logits: Tensor, targets: [Int], classWeights: [Float]? = nil) -> Tensor {
    let n = logits.shape[0]
    let k = logits.count / n
    require(targets.count == n, "crossEntropy: \(targets.count) targets for \(n) rows")
    require(targets.allSatisfy { (0..<k).contains($0) }, "crossEntropy: target out of range 0..<\(k)")
    let grad = needsGradient(logits)
    let loss = output([1], grad: grad)
    let probabilities = [Float](unsafeUninitializedCapacity: n * k) { buffer, initialized in
      for r in 0..<n {
        let z = logits.data + r * k
        var m = -Float.infinity
        for j in 0..<k { m = max(m, z[j]) }
        var s: Float = 0
        for j in 0..<k {
          buffer[r * k + j] = exp(z[j] - m)
          s += buffer[r * k + j]
        }
        for j in 0..<k { buffer[r * k + j] /= s }
      }
      initialized = n * k
    }
    var total = 0.0
    var weightSum = 0.0
    var rowWeights = [Float](repeating: 1, count: n)
    for r in 0..<n {
      let t = targets[r]
      let wr = classWeights?[t] ?? 1
      rowWeights[r] = wr
      let z = logits.data + r * k
      var m = -Float.infinity
      for j in 0..<k { m = max(m, z[j]) }
      var s = 0.0
      for j in 0..<k { s += Double(exp(z[j] - m)) }
      let ce = log(s) + Double(m) - Double(z[t])
      total += Double(wr) * ce
      weightSum += Double(wr)
    }
    loss.data[0] = Float(total / weightSum)
    if grad {
      let norm = Float(1 / weightSum)
      record(loss) {
        guard let gl = loss.grad else { return }
        let g = gl.data[0] * norm
        let gx = logits.gradient().data
        for r in 0..<n {
          let c = g * rowWeights[r]
          for j in 0..<k {
            let onehot: Float = j == targets[r] ? 1 : 0
            gx[r * k + j] += c * (probabilities[r * k + j] - onehot)
          }
        }
      }
    }
    return loss
  }
}
