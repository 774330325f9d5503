/// The processes of one data-parallel run and the collective operations between them (MPI's vocabulary:
/// a rank is one process, the world is all of them).
///
/// Every rank calls each operation in the same order; an operation returns when every rank has taken
/// part. Ranks are numbered 0 ..< `size`; rank 0 leads (it alone writes the run store and talks to the
/// user).
public protocol Communicator: AnyObject, Sendable {
  /// This process's rank.
  var rank: Int { get }
  /// The number of ranks in the world.
  var size: Int { get }
  /// Replaces `buffer` on every rank with the element-wise sum of every rank's `buffer` (equal counts).
  func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>)
  /// Gives every rank `bytes` as rank `root` holds them; other ranks' `bytes` may have any count.
  func broadcast(_ bytes: inout [UInt8], root: Int)
  /// Every rank's `words` (equal counts on every rank), in rank order.
  func allgather(_ words: [UInt64]) -> [[UInt64]]
}

extension Communicator {
  /// Whether this rank leads the run.
  public var isLeader: Bool { rank == 0 }
}
