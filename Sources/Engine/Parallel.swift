import Foundation

/// Splits work over a fixed number of threads.
///
/// Work is cut into contiguous ranges by index, one range per thread, so the partition — and so every
/// reduction order — depends only on the thread count: results are deterministic for a fixed count.
public struct Parallel: Sendable {
  /// The number of threads work is split over.
  public let threads: Int

  /// A splitter over `threads` threads (at least one).
  public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
    self.threads = max(1, threads)
  }

  /// Calls `body(part, range)` for each of up to `threads` contiguous parts of `0..<count`.
  /// With `minPerPart`, small jobs use fewer parts.
  public func forEachRange(
    _ count: Int, minPerPart: Int = 1, _ body: (_ part: Int, _ range: Range<Int>) -> Void
  ) {
    let parts = min(threads, max(1, count / max(1, minPerPart)))
    if parts <= 1 || count <= 1 {
      body(0, 0..<count)
      return
    }
    withoutActuallyEscaping(body) { body in
      // The parts touch disjoint ranges; the box only carries the closure across the dispatch boundary.
      let box = UncheckedSendable(body)
      DispatchQueue.concurrentPerform(iterations: parts) { part in
        let lo = count * part / parts
        let hi = count * (part + 1) / parts
        if lo < hi { box.value(part, lo..<hi) }
      }
    }
  }

  /// The number of parts `forEachRange(count, minPerPart:)` would use.
  public func parts(_ count: Int, minPerPart: Int = 1) -> Int {
    min(threads, max(1, count / max(1, minPerPart)))
  }
}

/// Carries a value across a concurrency boundary where the caller guarantees data-race freedom.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
