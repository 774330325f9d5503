import Architecture
import ArgumentParser
import Datasets
import Engine
import Foundation
import Operations
import Search

/// `tailnas bench ops`: per-op forward and forward+backward medians at the shapes of the reference step.
///
/// stdout carries one JSON line per op (`op`, `shape`, `forward_ms`, `forward_backward_ms`), the same
/// lines `scripts/bench_ops_torch.py` prints for PyTorch; the human table (and, on a terminal, progress)
/// goes to stderr. `--compare FILE` reads the PyTorch lines and adds them side by side.
struct BenchOps: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops", abstract: "Per-op forward and forward+backward timings.")

  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(help: "Minimum seconds of timed repetitions per op and mode.") var minTime = 0.25
  @Option(help: "Minimum timed repetitions per op and mode.") var minReps = 10
  @Option(help: "Only ops whose name contains this string.") var filter: String?
  @Option(help: "JSON lines of scripts/bench_ops_torch.py to show side by side.") var compare: String?

  func run() throws {
    let tape = Tape(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let cases = OpCase.all.filter { filter == nil || $0.name.contains(filter!) }
    let reference = try compare.map(Self.readReference) ?? [:]
    let progress = isatty(2) != 0
    var rows: [(OpCase, Double, Double)] = []
    for (i, op) in cases.enumerated() {
      if progress {
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(i + 1)/\(cases.count)] \(op.name) \(op.shapeText)".utf8))
      }
      let forward = median(tape: tape, op: op, backward: false)
      let both = median(tape: tape, op: op, backward: true)
      rows.append((op, forward, both))
      let line: [String: Any] = [
        "op": op.name, "shape": op.shapeText, "forward_ms": forward, "forward_backward_ms": both,
      ]
      let data = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
      FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
    if progress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    FileHandle.standardError.write(Data(table(rows, reference: reference).utf8))
  }

  /// Median milliseconds of one forward (no gradients recorded) or forward+backward.
  func median(tape: Tape, op: OpCase, backward: Bool) -> Double {
    let inputs = op.makeInputs()
    for t in inputs { t.requiresGrad = backward && t.requiresGrad }
    func once() {
      for t in inputs { t.grad = nil }
      if backward {
        let y = op.body(tape, inputs)
        if y.count == 1 {
          tape.backward(y)
        } else {
          tape.seedGradient(y, 1)
          tape.backward()
        }
      } else {
        _ = tape.withoutGradients { op.body(tape, inputs) }
      }
    }
    for _ in 0..<3 { once() }
    var samples: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    while samples.count < minReps || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < minTime {
      let t0 = DispatchTime.now().uptimeNanoseconds
      once()
      samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
      if samples.count >= 2000 { break }
    }
    samples.sort()
    return samples[samples.count / 2]
  }

  func table(_ rows: [(OpCase, Double, Double)], reference: [String: (Double, Double)]) -> String {
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    func ms(_ v: Double) -> String { String(format: "%.3f", v) }
    var out = pad("op", 22) + pad("shape", 20) + lpad("fwd ms", 10) + lpad("fwd+bwd ms", 12)
    if !reference.isEmpty { out += lpad("torch fwd", 11) + lpad("torch f+b", 11) + lpad("f+b speedup", 13) }
    out += "\n"
    for (op, f, b) in rows {
      out += pad(op.name, 22) + pad(op.shapeText, 20) + lpad(ms(f), 10) + lpad(ms(b), 12)
      if let (tf, tb) = reference[op.name] {
        out += lpad(ms(tf), 11) + lpad(ms(tb), 11) + lpad(String(format: "%.1fx", tb / b), 13)
      }
      out += "\n"
    }
    return out
  }

  static func readReference(_ path: String) throws -> [String: (Double, Double)] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var result: [String: (Double, Double)] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("{") {
      guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let name = object["op"] as? String, let f = object["forward_ms"] as? Double,
        let b = object["forward_backward_ms"] as? Double
      else { continue }
      result[name] = (f, b)
    }
    return result
  }
}

/// One benchmarked op: its inputs (made once) and its body on the tape.
struct OpCase {
  let name: String
  let shape: [Int]
  let makeInputs: () -> [Tensor]
  let body: (Tape, [Tensor]) -> Tensor

  var shapeText: String { shape.map(String.init).joined(separator: "x") }

  static func random(_ shape: [Int], seed: UInt64, grad: Bool = true) -> Tensor {
    var g = SplitMix64(seed: seed)
    let t = Tensor(uninitialized: shape, requiresGrad: grad)
    t.fillNormal(std: 1, using: &g)
    return t
  }

  /// An op on one activation x plus parameters of the given shapes.
  static func op(
    _ name: String, _ shape: [Int], params: [[Int]] = [], _ body: @escaping (Tape, [Tensor]) -> Tensor
  ) -> OpCase {
    OpCase(
      name: name, shape: shape,
      makeInputs: {
        [random(shape, seed: 1)] + params.enumerated().map { random($0.element, seed: UInt64(2 + $0.offset)) }
      }, body: body)
  }

  static var all: [OpCase] {
    let n = 32
    let x8 = [n, 8, 32, 32]
    let x16 = [n, 16, 16, 16]
    let x32 = [n, 32, 8, 8]
    var list: [OpCase] = [
      op("conv3x3_stem", [n, 3, 32, 32], params: [[24, 3, 3, 3]]) { t, i in t.conv2d(i[0], weight: i[1], padding: 1) }
    ]
    let depthwise: [(String, [Int], Int, Int, Int, Int)] = [
      ("dw3x3_s1", x8, 3, 1, 1, 1), ("dw5x5_s1", x8, 5, 1, 2, 1), ("dw3x3_d2", x8, 3, 1, 2, 2),
      ("dw5x5_d2", x8, 5, 1, 4, 2), ("dw3x3_s2", x8, 3, 2, 1, 1), ("dw5x5_s2", x8, 5, 2, 2, 1),
      ("dw3x3_d2_s2", x8, 3, 2, 2, 2), ("dw3x3_s1_c16", x16, 3, 1, 1, 1), ("dw5x5_s1_c32", x32, 5, 1, 2, 1),
    ]
    for (name, shape, k, s, p, d) in depthwise {
      let c = shape[1]
      list.append(
        op(name, shape, params: [[c, 1, k, k]]) { t, i in
          t.conv2d(i[0], weight: i[1], stride: s, padding: p, dilation: d, groups: c)
        })
    }
    list += [
      op("conv1x1_s1", x8, params: [[8, 8, 1, 1]]) { t, i in t.conv2d(i[0], weight: i[1]) },
      op("conv1x1_s1_c16", x16, params: [[16, 16, 1, 1]]) { t, i in t.conv2d(i[0], weight: i[1]) },
      op("conv1x1_s1_c32", x32, params: [[32, 32, 1, 1]]) { t, i in t.conv2d(i[0], weight: i[1]) },
      op("conv1x1_pre_24to8", [n, 24, 32, 32], params: [[8, 24, 1, 1]]) { t, i in t.conv2d(i[0], weight: i[1]) },
      op("conv1x1_s2", x8, params: [[8, 8, 1, 1]]) { t, i in t.conv2d(i[0], weight: i[1], stride: 2) },
      op("batchnorm", x8) { t, i in t.batchNorm(i[0]) },
      op("batchnorm_affine", [n, 24, 32, 32], params: [[24], [24]]) { t, i in
        t.batchNorm(i[0], weight: i[1], bias: i[2])
      },
      op("relu", x8) { t, i in t.relu(i[0]) },
      op("maxpool_s1", x8) { t, i in t.maxPool(i[0], stride: 1) },
      op("maxpool_s2", x8) { t, i in t.maxPool(i[0], stride: 2) },
      op("avgpool_s1", x8) { t, i in t.averagePool(i[0], stride: 1) },
      op("avgpool_s2", x8) { t, i in t.averagePool(i[0], stride: 2) },
      OpCase(
        name: "concat4", shape: x8, makeInputs: { (0..<4).map { random(x8, seed: UInt64(10 + $0)) } },
        body: { t, i in t.concatChannels(i) }),
      op("slice_1_1", x8) { t, i in t.sliceSpatial(i[0], top: 1, left: 1) },
      OpCase(
        name: "weighted_sum7", shape: x8,
        makeInputs: { (0..<7).map { random(x8, seed: UInt64(20 + $0)) } + [random([8], seed: 30)] },
        body: { t, i in t.weightedSum((0..<7).map { (i[$0], $0 + 1) }, weights: i[7], shape: x8) }),
      op("global_avg_pool", [n, 128, 8, 8]) { t, i in t.globalAveragePool(i[0]) },
      op("linear", [n, 128], params: [[10, 128], [10]]) { t, i in t.linear(i[0], weight: i[1], bias: i[2]) },
      op("softmax", [14, 8]) { t, i in t.softmax(i[0]) },
      OpCase(
        name: "cross_entropy", shape: [n, 10], makeInputs: { [random([n, 10], seed: 40)] },
        body: { t, i in t.crossEntropy(i[0], targets: (0..<n).map { $0 % 10 }) }),
      op(Primitive.sep_conv_3x3.name, x8, params: [[8, 1, 3, 3], [8, 8, 1, 1], [8, 1, 3, 3], [8, 8, 1, 1]]) { t, i in
        var y = t.relu(i[0])
        y = t.conv2d(y, weight: i[1], padding: 1, groups: 8)
        y = t.batchNorm(t.conv2d(y, weight: i[2]))
        y = t.conv2d(t.relu(y), weight: i[3], padding: 1, groups: 8)
        return t.batchNorm(t.conv2d(y, weight: i[4]))
      },
      op(Primitive.dil_conv_3x3.name, x8, params: [[8, 1, 3, 3], [8, 8, 1, 1]]) { t, i in
        let y = t.conv2d(t.relu(i[0]), weight: i[1], padding: 2, dilation: 2, groups: 8)
        return t.batchNorm(t.conv2d(y, weight: i[2]))
      },
      mixedOp(x8, stride: 1), mixedOp(x8, stride: 2),
    ]
    return list + evaluationCases
  }

  /// The evaluation step's ops (`tailnas bench train`: batch 64, C 16 at 32 x 32, 32 at 16 x 16, 64 at 8 x 8):
  /// one separable-convolution half (ReLU, depthwise 3 x 3, 1x1), the preprocessing 1x1 of a cell's output
  /// (a concatenation of four node states) and FactorizedReduce's two strided halves, batch norm, pools,
  /// and drop path with the node sum.
  static var evaluationCases: [OpCase] {
    var list: [OpCase] = []
    for (c, size) in [(16, 32), (32, 16), (64, 8)] {
      let x = [64, c, size, size]
      list.append(
        op("eval_sep_half_c\(c)", x, params: [[c, 1, 3, 3], [c, c, 1, 1]]) { t, i in
          t.separableConv(i[0], depthwise: i[1], pointwise: i[2], padding: 1, rectify: true)
        })
      list.append(
        OpCase(
          name: "eval_preprocess_c\(c)", shape: x,
          makeInputs: { (0..<4).map { random(x, seed: UInt64(60 + $0)) } + [random([c, 4 * c, 1, 1], seed: 64)] },
          body: { t, i in t.pointwiseConv(t.concatChannels(Array(i[0..<4])), weight: i[4], rectify: true) }))
      list.append(
        op("eval_bn_c\(c)", x, params: [[c], [c]]) { t, i in t.batchNorm(i[0], weight: i[1], bias: i[2]) })
      list.append(
        OpCase(
          name: "eval_drop_path_add_c\(c)", shape: x, makeInputs: { [random(x, seed: 70), random(x, seed: 71)] },
          body: { t, i in
            let mask = (0..<64).map { Float(($0 * 7) % 5 == 0 ? 0 : 1) }
            return t.add(t.dropPath(i[0], keep: 0.8, mask: mask), t.dropPath(i[1], keep: 0.8, mask: mask))
          }))
    }
    for (c, size) in [(16, 32), (32, 16)] {
      let x = [64, c, size, size]
      list.append(
        OpCase(
          name: "eval_factorized_reduce_c\(4 * c)", shape: x,
          makeInputs: {
            (0..<4).map { random(x, seed: UInt64(80 + $0)) } + [
              random([c, 4 * c, 1, 1], seed: 84), random([c, 4 * c, 1, 1], seed: 85),
            ]
          },
          body: { t, i in t.factorizedReduce(t.concatChannels(Array(i[0..<4])), i[4], i[5], rectify: true) }))
    }
    list.append(op("eval_maxpool_s2_c32", [64, 32, 32, 32]) { t, i in t.maxPool(i[0], stride: 2) })
    list.append(op("eval_maxpool_s1_c32", [64, 32, 16, 16]) { t, i in t.maxPool(i[0], stride: 1) })
    return list
  }

  /// A DARTS edge (all eight primitives, softmaxed alphas) on x.
  static func mixedOp(_ shape: [Int], stride: Int) -> OpCase {
    let edge = MixedOp.make(channels: shape[1], stride: stride, seed: 7)
    return OpCase(
      name: "mixed_op_s\(stride)", shape: shape,
      makeInputs: { [random(shape, seed: 50), random([Primitive.allCases.count], seed: 51)] },
      body: { t, i in
        edge(i[0], weights: t.softmax(i[1]), stride: stride, ForwardContext(tape: t, training: true))
      })
  }
}
