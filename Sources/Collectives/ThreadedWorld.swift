import Foundation
import Requirement

/// A world of ranks that are threads of one process: each rank's `Communicator` meets the others in
/// shared memory. Sums are taken in rank order, so a threaded run equals, bit for bit, one process that
/// emulates its ranks (`DataParallelism(emulating:)`). It lets the replication of a run be tested without
/// MPI.
public final class ThreadedWorld: @unchecked Sendable {
  public let size: Int
  private let condition = NSCondition()
  private var deposits: [[UInt8]]
  private var results: [[UInt8]] = []
  private var arrived = 0
  private var generation = 0

  /// A world of `size` ranks.
  public init(size: Int) {
    require(size >= 1, "ThreadedWorld: size must be at least 1 rank, got \(size)")
    self.size = size
    deposits = Array(repeating: [], count: size)
  }

  /// The communicator of rank `rank`, to be used on that rank's thread.
  public func communicator(rank: Int) -> Communicator {
    require((0..<size).contains(rank), "ThreadedWorld.communicator(rank:): rank \(rank) is not in a world of \(size)")
    return ThreadedRank(world: self, rank: rank)
  }

  /// Every rank's `bytes`, in rank order, once every rank has called.
  func exchange(rank: Int, _ bytes: [UInt8]) -> [[UInt8]] {
    condition.lock()
    defer { condition.unlock() }
    let round = generation
    deposits[rank] = bytes
    arrived += 1
    if arrived == size {
      results = deposits
      arrived = 0
      generation += 1
      condition.broadcast()
    } else {
      while generation == round { condition.wait() }
    }
    return results
  }
}

/// One rank of a `ThreadedWorld`.
final class ThreadedRank: Communicator {
  let world: ThreadedWorld
  let rank: Int

  init(world: ThreadedWorld, rank: Int) {
    self.world = world
    self.rank = rank
  }

  var size: Int { world.size }

  func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
    let all = world.exchange(rank: rank, Array(UnsafeRawBufferPointer(buffer)))
    for (index, bytes) in all.enumerated() {
      bytes.withUnsafeBytes { raw in
        let values = raw.bindMemory(to: Float.self)
        for j in 0..<buffer.count { buffer[j] = index == 0 ? values[j] : buffer[j] + values[j] }
      }
    }
  }

  func broadcast(_ bytes: inout [UInt8], root: Int) {
    bytes = world.exchange(rank: rank, bytes)[root]
  }

  func allgather(_ words: [UInt64]) -> [[UInt64]] {
    world.exchange(rank: rank, words.withUnsafeBytes { Array($0) }).map { bytes in
      bytes.withUnsafeBytes { Array($0.bindMemory(to: UInt64.self)) }
    }
  }
}
