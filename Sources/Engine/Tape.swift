import CBLAS
import Foundation

/// Reverse-mode automatic differentiation by a tape of backward closures.
///
/// Every op is a method on the tape (see the `Tape+*.swift` files). While `isRecording` is true and an
/// input requires a gradient, the op appends a closure that maps its output gradient to its inputs'
/// gradients. `backward(_:)` seeds the loss gradient with 1 and runs the closures in reverse. `reset()`
/// drops the closures, and with them the intermediate tensors, whose buffers go back to the pool.
public final class Tape: @unchecked Sendable {
  /// A recorded backward step: the op's output, whose gradient it consumes, and the closure.
  private struct Entry {
    let output: Tensor
    let body: () -> Void
    /// The op and its forward FLOPs, kept only while profiling.
    var profiled: (op: String, flops: Double)?
  }
  private var entries: [Entry] = []
  /// Whether ops record backward closures; false is the no-grad mode.
  public var isRecording = true
  /// How work is split over threads.
  public let parallel: Parallel
  /// Measures each op's time while set (`tailnas bench --profile`).
  public var profile: StepProfile?
  /// Scratch space reused by kernels across steps.
  let scratch = Scratch()

  /// A tape whose kernels split work over `threads` threads.
  public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.parallel = Parallel(threads: threads)
    _ = Self.singleThreadedBLAS
  }

  /// OpenBLAS's own threads would compete with the engine's (and spin between calls): keep it at one.
  private static let singleThreadedBLAS: Void = openblas_set_num_threads(1)

  /// Runs `body` without recording, as PyTorch's `torch.no_grad()`.
  public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    let saved = isRecording
    isRecording = false
    defer { isRecording = saved }
    return try body()
  }

  /// The number of recorded backward closures.
  public var recordedCount: Int { entries.count }

  /// Whether an op over `inputs` must record its backward closure.
  func needsGradient(_ inputs: Tensor...) -> Bool {
    isRecording && inputs.contains { $0.requiresGrad }
  }

  func needsGradient(_ inputs: [Tensor]) -> Bool {
    isRecording && inputs.contains { $0.requiresGrad }
  }

  /// Appends the backward closure of the op that produced `output`. `function` (the op's method, by
  /// default), `detail` (its kernel, stride) and `flops` (its forward multiply-adds times 2) are only read
  /// while profiling.
  func record(
    _ output: Tensor, function: StaticString = #function, detail: @autoclosure () -> String = "",
    flops: @autoclosure () -> Double = 0, _ backward: @escaping () -> Void
  ) {
    guard let profile else {
      entries.append(Entry(output: output, body: backward))
      return
    }
    let name = "\(function)".prefix { $0 != "(" }
    let extra = detail()
    let op = extra.isEmpty ? String(name) : "\(name) \(extra)"
    let count = flops()
    profile.forwardDone(op, flops: count)
    entries.append(Entry(output: output, body: backward, profiled: (op, count)))
  }

  /// Back-propagates from a scalar `loss`: d loss / d loss = 1, then every closure in reverse order.
  /// Clears the tape afterwards.
  public func backward(_ loss: Tensor) {
    require(loss.count == 1, "backward needs a scalar, got \(loss.shape)")
    loss.gradient().data[0] += 1
    backward()
  }

  /// Adds `value` to every element of `y`'s gradient (a missing gradient is allocated and set, without a
  /// zero fill), split over the threads as the element-wise kernels split y: how a caller seeds the output
  /// gradient of a non-scalar result before `backward()`. Seeds add up, as PyTorch's gradients do.
  ///
  /// For a view that records gradients and has no dense gradient of its own, the seed goes straight into
  /// the gradients of the tensors it shows, as the view's backward would route it.
  public func seedGradient(_ y: Tensor, _ value: Float) {
    let routes = y.requiresGrad && y.grad == nil
    if routes, let slice = y.spatialSlice, slice.base.requiresGrad {
      let (gx, accumulate) = slice.base.gradientTarget()
      let width = slice.width
      parallel.forEachRange(slice.planes, minPerPart: 16) { _, r in
        slice.placeGradient(planes: r, into: gx, accumulate: accumulate) { _, _, row in
          vectorFill(value, row, width, accumulate: accumulate)
        }
      }
      return
    }
    if routes, y.distinctParts != nil {
      let runs = ChannelRuns(y)
      let targets = runs.gradientTargets(of: y)
      parallel.forEachRange(runs.count) { _, r in
        for i in r {
          let (k, source, _, length) = runs.run(i)
          guard let (g, accumulate) = targets[k] else { continue }
          vectorFill(value, g + source, length, accumulate: accumulate)
        }
      }
      return
    }
    let (g, accumulate) = y.gradientTarget()
    parallel.forEachRange(y.count, minPerPart: 1 << 15) { _, r in
      vectorFill(value, g + r.lowerBound, r.count, accumulate: accumulate)
    }
  }

  /// Runs the recorded closures in reverse order, for outputs whose gradients were seeded by the caller.
  ///
  /// Closures are popped one by one, so the intermediates they captured are released as soon as they
  /// have run; an intermediate's gradient is dropped once its own closure has consumed it (leaves —
  /// tensors not made by tape ops, such as parameters — keep theirs). Buffers go back to the pool.
  public func backward() {
    while let entry = entries.popLast() {
      if let profile, let (op, flops) = entry.profiled {
        profile.backward(op, flops: flops, entry.body)
      } else {
        entry.body()
      }
      if entry.output.isIntermediate { entry.output.grad = nil }
    }
  }

  /// Drops the recorded closures without running them.
  public func reset() {
    entries.removeAll(keepingCapacity: true)
  }

  /// A new output tensor that requires a gradient when `grad` is true.
  func output(_ shape: [Int], grad: Bool) -> Tensor {
    let t = Tensor(uninitialized: shape, requiresGrad: grad)
    t.isIntermediate = true
    return t
  }
}

/// Per-thread scratch buffers that grow to their largest use and are then reused.
final class Scratch: @unchecked Sendable {
  private var buffers: [[UnsafeMutablePointer<Float>?]] = []
  private var sizes: [[Int]] = []
  private let lock = NSLock()

  /// Buffer `slot` of thread `part`, at least `count` floats.
  func buffer(part: Int, slot: Int, count: Int) -> UnsafeMutablePointer<Float> {
    lock.lock()
    defer { lock.unlock() }
    while buffers.count <= part {
      buffers.append([])
      sizes.append([])
    }
    while buffers[part].count <= slot {
      buffers[part].append(nil)
      sizes[part].append(0)
    }
    if let b = buffers[part][slot], sizes[part][slot] >= count { return b }
    buffers[part][slot]?.deallocate()
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 16) * 4, alignment: 64)
    let b = raw.bindMemory(to: Float.self, capacity: max(count, 16))
    buffers[part][slot] = b
    sizes[part][slot] = count
    return b
  }

  /// Adds the per-thread partial sums kept in `slot` (parts 0..<parts, `count` floats each from `offset`
  /// on) into dst, in part order, so the total does not depend on thread timing.
  func addParts(slot: Int, parts: Int, offset: Int = 0, count: Int, into dst: UnsafeMutablePointer<Float>) {
    for part in 0..<parts {
      let p = buffer(part: part, slot: slot, count: offset + count) + offset
      for i in 0..<count { dst[i] += p[i] }
    }
  }

  deinit {
    for row in buffers { for b in row { b?.deallocate() } }
  }
}
