import Foundation
import Requirement

/// How one process takes part in a data-parallel run: the world's size, and the ranks whose slices of
/// each batch this process computes.
///
/// Under MPI a process computes its own rank's slice and the communicator sums the gradients across
/// processes. One process can also emulate a world of N ranks: it computes the N slices one after another
/// and sums their gradients in rank order, which is what a run of N processes computes, bit for bit
/// (for two ranks exactly; a sum over more ranks is as MPI orders it).
public struct DataParallelism: Sendable {
  /// The communicator between the processes of the run.
  public let communicator: Communicator
  /// Ranks in the run, emulated or real.
  public let worldSize: Int
  /// The ranks this process computes, in order.
  public let localRanks: [Int]
  /// The threads of a rank whose configuration names none (nil: every core), so that the ranks on one
  /// machine share its cores instead of each taking them all.
  public var threadsPerRank: Int?

  /// One process alone: one rank, every batch whole.
  public static var single: DataParallelism { DataParallelism(communicator: SingleProcess()) }

  /// Rank `communicator.rank` of `communicator.size` processes.
  public init(communicator: Communicator) {
    self.communicator = communicator
    worldSize = communicator.size
    localRanks = [communicator.rank]
  }

  /// One process that computes the slices of all `ranks` ranks.
  public init(emulating ranks: Int) {
    require(ranks >= 1, "DataParallelism(emulating:): ranks must be at least 1, got \(ranks)")
    communicator = SingleProcess()
    worldSize = ranks
    localRanks = Array(0..<ranks)
  }

  /// Whether this process emulates more than one rank.
  public var isEmulated: Bool { localRanks.count > 1 }

  /// The rows `rank` takes of a batch of `count` rows: equal contiguous slices in rank order.
  public func rows(of count: Int, rank: Int) -> Range<Int> {
    let per = count / worldSize
    return rank * per..<(rank + 1) * per
  }

  /// Why a batch of `batchSize` images cannot be split over the ranks, nil when it can.
  public func batchProblem(batchSize: Int) -> String? {
    batchSize % worldSize == 0
      ? nil : "the batch size \(batchSize) does not split into \(worldSize) equal slices, one per rank"
  }

  /// The threads of one rank: `configured` when given, else the rank's share, else every core.
  public func threads(configured: Int?) -> Int {
    configured ?? threadsPerRank ?? ProcessInfo.processInfo.activeProcessorCount
  }
}
