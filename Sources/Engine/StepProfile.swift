import Foundation
import Synchronization

/// Where the time of a step goes: each tape op's forward and backward time and FLOPs by stage (what the
/// caller is doing: the architecture step, the weight step) and op, the time of named pieces of work
/// outside the tape (optimizer steps), and how busy the worker pool's threads were.
///
/// Attach one to a tape (`tape.profile = StepProfile()`) to measure; a tape without one measures nothing
/// and pays one nil check per op. An op's forward time is the time from the previous mark (the previous
/// op's record, or the start of a stage or a timed piece) to its own record, so network code between ops
/// counts toward the op that follows it. Its backward time is the time of its backward closure. FLOPs are
/// counted for the ops PyTorch's FLOP counter counts (convolutions and matrix products): 2 per
/// multiply-add, the backward pass twice the forward (input and weight gradients).
public final class StepProfile: @unchecked Sendable {
  /// The forward or backward pass of an op.
  public enum Pass: String, Sendable, CaseIterable {
    case forward
    case backward
  }

  /// A row of the profile: a stage, a pass, and an op with its detail (kernel, stride).
  public struct Key: Hashable, Sendable {
    public var stage: String
    public var pass: Pass
    public var op: String
  }

  /// Time, calls and FLOPs of one row.
  public struct Row: Sendable {
    public var seconds = 0.0
    public var calls = 0
    public var flops = 0.0
  }

  /// The rows measured so far.
  public private(set) var rows: [Key: Row] = [:]
  /// What the caller is doing now; new rows are filed under it.
  public var stage = "step" {
    didSet { mark() }
  }
  private var lastMark = DispatchTime.now().uptimeNanoseconds

  public init() {}

  /// Starts the next forward interval now (work before this is not attributed to the next op).
  public func mark() { lastMark = DispatchTime.now().uptimeNanoseconds }

  /// Files the time since the last mark as the forward time of `op`.
  func forwardDone(_ op: String, flops: Double) {
    let now = DispatchTime.now().uptimeNanoseconds
    add(Key(stage: stage, pass: .forward, op: op), seconds: Double(now - lastMark) / 1e9, flops: flops)
    lastMark = now
  }

  /// Runs an op's backward closure and files its time.
  func backward(_ op: String, flops: Double, _ body: () -> Void) {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    let now = DispatchTime.now().uptimeNanoseconds
    add(Key(stage: stage, pass: .backward, op: op), seconds: Double(now - start) / 1e9, flops: 2 * flops)
    lastMark = now
  }

  /// Runs `body` and files its time as `op` of the current stage (e.g. an optimizer step).
  public func time<R>(_ op: String, pass: Pass = .forward, _ body: () throws -> R) rethrows -> R {
    let start = DispatchTime.now().uptimeNanoseconds
    let result = try body()
    let now = DispatchTime.now().uptimeNanoseconds
    add(Key(stage: stage, pass: pass, op: op), seconds: Double(now - start) / 1e9, flops: 0)
    lastMark = now
    return result
  }

  private func add(_ key: Key, seconds: Double, flops: Double) {
    rows[key, default: Row()].seconds += seconds
    rows[key, default: Row()].calls += 1
    rows[key, default: Row()].flops += flops
  }

  // MARK: Threads

  /// How the worker pool spent the time between `startThreadMeasurement()` and now.
  public struct ThreadUse: Sendable {
    /// Jobs split over more than one thread.
    public var jobs: Int
    /// Wall time the submitting thread spent in such jobs, from publishing to the last part's end.
    public var jobSeconds: Double
    /// Time spent running parts of those jobs, summed over threads.
    public var busySeconds: Double
    /// Time spent by the submitter waiting for the last part after finishing its own.
    public var waitSeconds: Double
  }

  /// Starts counting the worker pool's jobs (process-wide; one profile at a time).
  public static func startThreadMeasurement() { WorkerPool.measurement.start() }

  /// The pool's use since `startThreadMeasurement()`; stops counting.
  public static func stopThreadMeasurement() -> ThreadUse { WorkerPool.measurement.stop() }
}

extension StepProfile? {
  /// Runs `body`, filed as `op` of the current stage when there is a profile: callers time a piece of work
  /// outside the tape (an optimizer step) without a branch of their own for the unprofiled case.
  public func time<R>(_ op: String, _ body: () throws -> R) rethrows -> R {
    guard let profile = self else { return try body() }
    return try profile.time(op, body)
  }
}

/// The worker pool's counters while a profile measures (otherwise one relaxed load per job).
final class PoolMeasurement: Sendable {
  private let on = Atomic<Bool>(false)
  private let jobs = Atomic<Int>(0)
  private let jobNanoseconds = Atomic<Int>(0)
  private let busyNanoseconds = Atomic<Int>(0)
  private let waitNanoseconds = Atomic<Int>(0)

  var isOn: Bool { on.load(ordering: .relaxed) }

  func start() {
    jobs.store(0, ordering: .relaxed)
    jobNanoseconds.store(0, ordering: .relaxed)
    busyNanoseconds.store(0, ordering: .relaxed)
    waitNanoseconds.store(0, ordering: .relaxed)
    on.store(true, ordering: .releasing)
  }

  func stop() -> StepProfile.ThreadUse {
    on.store(false, ordering: .releasing)
    return StepProfile.ThreadUse(
      jobs: jobs.load(ordering: .acquiring), jobSeconds: Double(jobNanoseconds.load(ordering: .acquiring)) / 1e9,
      busySeconds: Double(busyNanoseconds.load(ordering: .acquiring)) / 1e9,
      waitSeconds: Double(waitNanoseconds.load(ordering: .acquiring)) / 1e9)
  }

  func job(nanoseconds: UInt64, waited: UInt64) {
    jobs.add(1, ordering: .relaxed)
    jobNanoseconds.add(Int(nanoseconds), ordering: .relaxed)
    waitNanoseconds.add(Int(waited), ordering: .relaxed)
  }

  func busy(nanoseconds: UInt64) { busyNanoseconds.add(Int(nanoseconds), ordering: .relaxed) }
}
