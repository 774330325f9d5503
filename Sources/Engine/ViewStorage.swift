import Foundation
import Synchronization

/// The dense storage of a view tensor (`ChannelConcatenation`, `SpatialSlice`), taken from the pool and
/// filled the first time something reads the view's `data`; given back when the view dies.
///
/// Filling runs under a lock, so threads that read an unfilled view at once wait for one fill; once
/// filled, a read is one atomic load (the fill's writes happen before the release store that `filled`
/// publishes, and after the acquire load that sees it).
final class ViewStorage: @unchecked Sendable {
  let count: Int
  private let pool: BufferPool
  private let lock = NSLock()
  private var storage: UnsafeMutablePointer<Float>?
  private let filled = Atomic<Bool>(false)

  init(count: Int, pool: BufferPool) {
    self.count = count
    self.pool = pool
  }

  /// The storage, filled by `fill` on the first call.
  func contents(_ fill: (UnsafeMutablePointer<Float>) -> Void) -> UnsafeMutablePointer<Float> {
    if filled.load(ordering: .acquiring) { return storage.unsafelyUnwrapped }
    lock.lock()
    defer { lock.unlock() }
    if let storage { return storage }
    let dense = pool.take(count)
    fill(dense)
    storage = dense
    filled.store(true, ordering: .releasing)
    return dense
  }

  deinit {
    if let storage { pool.give(storage, count: count) }
  }
}
