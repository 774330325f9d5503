import Foundation
import Synchronization

/// Splits work over a fixed number of threads.
///
/// Work is cut into contiguous ranges by index, one range per thread, so the partition — and so every
/// reduction order — depends only on the thread count: results are deterministic for a fixed count.
/// Parts run on a persistent `WorkerPool` (the caller takes part too); a job too small to split, or one
/// submitted while the pool is busy (a nested or concurrent call), runs all its parts in order on the
/// calling thread, with the same partition.
public struct Parallel: Sendable {
  /// The number of threads work is split over.
  public let threads: Int
  private let pool: WorkerPool?

  /// A splitter over `threads` threads (at least one, at most `WorkerPool.maxParts`).
  public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.threads = min(max(1, threads), WorkerPool.maxParts)
    pool = self.threads > 1 ? WorkerPool.shared(threads: self.threads) : nil
  }

  /// Calls `body(part, range)` for each of up to `threads` contiguous parts of `0..<count`.
  /// With `minPerPart`, small jobs use fewer parts.
  public func forEachRange(
    _ count: Int, minPerPart: Int = 1, _ body: (_ part: Int, _ range: Range<Int>) -> Void
  ) {
    let parts = parts(count, minPerPart: minPerPart)
    if parts <= 1 || count <= 1 {
      body(0, 0..<count)
      return
    }
    func run(_ part: Int) {
      let lo = count * part / parts
      let hi = count * (part + 1) / parts
      if lo < hi { body(part, lo..<hi) }
    }
    if let pool, pool.run(parts: parts, run) { return }
    for part in 0..<parts { run(part) }
  }

  /// The number of parts `forEachRange(count, minPerPart:)` would use.
  public func parts(_ count: Int, minPerPart: Int = 1) -> Int {
    min(threads, max(1, count / max(1, minPerPart)))
  }
}

/// Persistent worker threads: `threads - 1` workers plus the submitting thread.
///
/// A job is published in `ticket` (generation and a mask of claimed parts). Participant t (the submitter
/// is 0, workers 1...) first claims part t, so a thread keeps working on the same slice of memory from
/// one op to the next and finds it in its own L2 cache; then it claims whatever parts are left, so a
/// worker that is descheduled (on a busy machine) delays nothing: its parts are taken by the others.
/// The partition itself is fixed by the caller, and which thread runs a part does not change its result.
/// Idle workers spin on the ticket, then keep polling it between `sched_yield` calls for a few
/// milliseconds (`yieldSpinNanoseconds`), then park on a condition variable. The yielding phase is there
/// because a step's single-threaded stretches between two jobs often last 0.05-5 ms, and waking a parked
/// thread is slow on a virtual machine (the idle vCPU halts): on a 2-vCPU KVM machine, parking after the
/// 20,000 polls alone left 12-13% of the threads' time idle inside jobs on the training step, and 6-7% with
/// the yielding phase. Yielding rather than spinning leaves the core to any other runnable thread (the
/// dashboard's, another process's). One job at a time: `run` returns false, without running anything,
/// while another job is in flight.
final class WorkerPool: @unchecked Sendable {
  let threads: Int
  /// generation << 32 | mask of claimed parts.
  private let ticket = Atomic<Int>(0)
  /// The part count of the current job; written before the ticket is published.
  private var parts = 0
  /// The most parts a job may have (one bit each in the ticket).
  static let maxParts = 32
  /// Parts finished in the current generation.
  private let done = Atomic<Int>(0)
  private let sleepers = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private var lastGeneration = 0
  /// The current job; written before the ticket is published and read only by a thread that claimed a
  /// part of it, which the submitter waits for before clearing it.
  private var job: ((Int) -> Void)?
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  /// Polls of the ticket before a worker starts yielding between polls (`TAILNAS_POOL_SPIN`).
  private let spinLimit: Int
  /// How long a worker goes on polling between `sched_yield` calls before it parks
  /// (`TAILNAS_POOL_YIELD_US`, microseconds; 0 parks right after the spin).
  private let yieldSpinNanoseconds: UInt64
  /// Job counters for `StepProfile` (process-wide).
  static let measurement = PoolMeasurement()

  private static let registryLock = NSLock()
  nonisolated(unsafe) private static var registry: [Int: WorkerPool] = [:]

  /// The process-wide pool for `threads` threads (pools live for the whole process).
  static func shared(threads: Int) -> WorkerPool {
    registryLock.lock()
    defer { registryLock.unlock() }
    if let pool = registry[threads] { return pool }
    let pool = WorkerPool(threads: threads)
    registry[threads] = pool
    return pool
  }

  private init(threads: Int) {
    self.threads = threads
    let env = ProcessInfo.processInfo.environment["TAILNAS_POOL_SPIN"].flatMap(Int.init)
    spinLimit = env ?? 20_000
    let yieldMicroseconds = ProcessInfo.processInfo.environment["TAILNAS_POOL_YIELD_US"].flatMap(UInt64.init)
    yieldSpinNanoseconds = (yieldMicroseconds ?? 5_000) * 1_000
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(condition, nil)
    for worker in 1..<threads {
      let thread = Thread { [unowned(unsafe) self] in self.workerLoop(index: worker) }
      thread.name = "tailnas-worker-\(worker)"
      thread.stackSize = 1 << 20
      thread.start()
    }
  }

  /// Runs `body(part)` for every `part` in `0..<parts` (at most `maxParts`) on the pool and the calling
  /// thread. Returns false without running anything if the pool is busy.
  func run(parts: Int, _ body: (Int) -> Void) -> Bool {
    precondition(parts <= Self.maxParts, "WorkerPool: too many parts")
    guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
      return false
    }
    let measuring = Self.measurement.isOn
    let start = measuring ? DispatchTime.now().uptimeNanoseconds : 0
    withoutActuallyEscaping(body) { body in
      job = body
      self.parts = parts
      done.store(0, ordering: .relaxed)
      lastGeneration = (lastGeneration + 1) & 0x7fff_ffff
      let generation = lastGeneration
      ticket.store(generation << 32, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
      }
      claimParts(generation: generation, preferred: 0)
      let ownPartsDone = measuring ? DispatchTime.now().uptimeNanoseconds : 0
      var polls = 0
      while done.load(ordering: .acquiring) < parts {
        polls += 1
        if polls > 2000 { sched_yield() }
      }
      job = nil
      if measuring {
        let end = DispatchTime.now().uptimeNanoseconds
        Self.measurement.job(nanoseconds: end - start, waited: end - ownPartsDone)
      }
    }
    busy.store(false, ordering: .releasing)
    return true
  }

  /// Claims and runs parts of job `generation` until none are left, part `preferred` first.
  private func claimParts(generation: Int, preferred: Int) {
    var state = ticket.load(ordering: .acquiring)
    guard state >> 32 == generation else { return }
    let parts = self.parts
    let all = (1 << parts) - 1
    while true {
      let claimed = state & 0xffff_ffff
      guard state >> 32 == generation, claimed != all else { return }
      let free = all & ~claimed
      let part = preferred < parts && free & (1 << preferred) != 0 ? preferred : free.trailingZeroBitCount
      let (exchanged, original) = ticket.compareExchange(
        expected: state, desired: state | 1 << part, ordering: .acquiringAndReleasing)
      if exchanged {
        runJob(part)
        done.add(1, ordering: .releasing)
        state = ticket.load(ordering: .acquiring)
      } else {
        state = original
      }
    }
  }

  private func workerLoop(index: Int) {
    // Generations count from 0, the value at creation: a job published before this thread got going is
    // still seen as new.
    var seen = 0
    while true {
      // Spin, then poll between yields until the deadline, then park; each phase only while no new job.
      var current = ticket.load(ordering: .acquiring) >> 32
      var polls = 0
      while current == seen && polls < spinLimit {
        polls += 1
        current = ticket.load(ordering: .acquiring) >> 32
      }
      if current == seen && yieldSpinNanoseconds > 0 {
        let deadline = DispatchTime.now().uptimeNanoseconds + yieldSpinNanoseconds
        while current == seen && DispatchTime.now().uptimeNanoseconds < deadline {
          sched_yield()
          current = ticket.load(ordering: .acquiring) >> 32
        }
      }
      if current == seen {
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while ticket.load(ordering: .sequentiallyConsistent) >> 32 == seen {
          pthread_cond_wait(condition, mutex)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        current = ticket.load(ordering: .acquiring) >> 32
      }
      seen = current
      claimParts(generation: current, preferred: index)
    }
  }

  /// Calls the current job out of line, so that every retain and release of the closure context is
  /// balanced before the worker reports completion (`withoutActuallyEscaping` checks the context is
  /// unshared when `run` returns).
  @inline(never)
  private func runJob(_ index: Int) {
    guard Self.measurement.isOn else {
      job?(index)
      return
    }
    let start = DispatchTime.now().uptimeNanoseconds
    job?(index)
    Self.measurement.busy(nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
  }
}

/// Carries a value across a concurrency boundary where the caller guarantees data-race freedom.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
