import Foundation

/// Runs the bodies of several ranks, each on its own thread (they meet in collective operations, so they
/// must run at once), and returns their results in rank order.
final class RankThreads<T: Sendable>: @unchecked Sendable {
  private var values: [T?]
  private let done = DispatchSemaphore(value: 0)
  private let lock = NSLock()

  private init(count: Int) {
    values = Array(repeating: nil, count: count)
  }

  static func run(_ bodies: [() -> T]) -> [T] {
    let threads = RankThreads(count: bodies.count)
    for (rank, body) in bodies.enumerated() {
      nonisolated(unsafe) let body = body
      let thread = Thread {
        let value = body()
        threads.lock.withLock { threads.values[rank] = value }
        threads.done.signal()
      }
      thread.stackSize = 16 << 20
      thread.start()
    }
    for _ in bodies { threads.done.wait() }
    return threads.lock.withLock { threads.values.map { $0! } }
  }
}
