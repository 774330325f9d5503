import Foundation

/// A thread-safe free list of float buffers keyed by element count.
///
/// Tensors take their storage from a pool and hand it back when they die, so a training loop that builds
/// the same graph every step stops allocating after its first step.
public final class BufferPool: @unchecked Sendable {
  private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
  private let lock = NSLock()
  /// Bytes currently held by live buffers plus buffers waiting in the free lists.
  public private(set) var reservedBytes = 0
  /// The largest `reservedBytes` seen.
  public private(set) var peakReservedBytes = 0

  /// The pool used by tensors created without an explicit pool.
  public static let shared = BufferPool()

  public init() {}

  /// A buffer of `count` floats; contents are unspecified.
  func take(_ count: Int) -> UnsafeMutablePointer<Float> {
    lock.lock()
    defer { lock.unlock() }
    if var list = free[count], let buffer = list.popLast() {
      free[count] = list
      return buffer
    }
    reservedBytes += count * 4
    peakReservedBytes = max(peakReservedBytes, reservedBytes)
    let alignment = 64
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: alignment)
    return raw.bindMemory(to: Float.self, capacity: max(count, 1))
  }

  /// Returns a buffer obtained from `take` with the same `count`.
  func give(_ buffer: UnsafeMutablePointer<Float>, count: Int) {
    lock.lock()
    free[count, default: []].append(buffer)
    lock.unlock()
  }

  /// Frees every buffer waiting in the free lists.
  public func trim() {
    lock.lock()
    for (count, list) in free {
      for buffer in list { buffer.deallocate() }
      reservedBytes -= count * 4 * list.count
    }
    free.removeAll()
    lock.unlock()
  }
}
