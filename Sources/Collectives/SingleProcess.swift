/// A world of one process: every collective operation leaves its data as it is.
public final class SingleProcess: Communicator {
  public init() {}

  public var rank: Int { 0 }
  public var size: Int { 1 }
  public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {}
  public func broadcast(_ bytes: inout [UInt8], root: Int) {}
  public func allgather(_ words: [UInt64]) -> [[UInt64]] { [words] }
}
