import Collectives
import Datasets
import Engine

/// The replicas of a network in a data-parallel run, as one process sees them: it runs each backward pass
/// once per rank it computes, on that rank's slice of the batch, and leaves in the parameters' gradients
/// the average over all ranks, reduced in one fused buffer (one allreduce per backward, not one per
/// tensor).
///
/// Batch-norm statistics are per rank, as PyTorch's DDP without SyncBatchNorm: each slice is normalised by
/// its own batch statistics and each rank keeps its own running statistics (rank 0's are evaluated and
/// checkpointed). A process that emulates several ranks keeps the other ranks' running statistics aside
/// and swaps them in around each slice; drop path draws its masks for the whole batch and each rank takes
/// its rows, so every rank draws the same numbers.
public final class Replicas: @unchecked Sendable {
  public let parallelism: DataParallelism
  /// The live running statistics of the network (those of this process's first rank).
  let statistics: [RunningStatistics]
  let dropPath: DropPath?
  /// The running statistics of the emulated ranks after the first, by rank; set at the first backward.
  var emulatedStatistics: [Int: [RunningStatistics.Saved]] = [:]

  /// Replicas of a network with running statistics `statistics` (and drop path `dropPath`).
  public init(
    _ parallelism: DataParallelism = .single, statistics: [RunningStatistics] = [], dropPath: DropPath? = nil
  ) {
    self.parallelism = parallelism
    self.statistics = statistics
    self.dropPath = dropPath
    dropPath?.replica = (parallelism.localRanks[0], parallelism.worldSize)
  }

  /// Ranks in the run.
  public var worldSize: Int { parallelism.worldSize }

  /// `rank`'s rows of `batch` (the batch itself in a world of one).
  public func slice(_ batch: Batch, rank: Int) -> Batch {
    guard worldSize > 1 else { return batch }
    let rows = parallelism.rows(of: batch.targets.count, rank: rank)
    return Batch(
      input: Self.rows(rows, of: batch.input), targets: Array(batch.targets[rows]),
      classInput: batch.classInput.map { Self.rows(rows, of: $0) },
      classTargets: batch.classTargets.map { Array($0[rows]) })
  }

  static func rows(_ rows: Range<Int>, of tensor: Tensor) -> Tensor {
    let per = tensor.count / tensor.shape[0]
    let slice = Tensor(uninitialized: [rows.count] + tensor.shape.dropFirst())
    slice.data.update(from: tensor.data + rows.lowerBound * per, count: rows.count * per)
    return slice
  }

  /// Runs `pass` for each rank this process computes, then leaves in `parameters`' gradients their mean
  /// over every rank of the run; returns the sums over every rank of the values `pass` returned.
  ///
  /// `pass(rank)` zeroes the gradients it needs, runs forward and backward on `rank`'s slice and returns
  /// its scalars (losses, counts); each call must return as many. In a world of one, `pass(0)` runs on
  /// the whole batch and nothing else happens.
  public func reduce(gradientsOf parameters: [Tensor], _ pass: (_ rank: Int) -> [Float]) -> [Float] {
    guard worldSize > 1 else { return pass(0) }
    let gradientCount = parameters.reduce(0) { $0 + $1.count }
    var fused: [Float] = []
    var scalarCount = 0
    let generator = dropPath?.generator
    for (index, rank) in parallelism.localRanks.enumerated() {
      let values = enter(rank, generator: generator) { pass(rank) }
      if index == 0 {
        scalarCount = values.count
        fused = [Float](repeating: 0, count: gradientCount + scalarCount)
      }
      require(
        values.count == scalarCount,
        "Replicas.reduce: the pass of rank \(rank) returned \(values.count) values, the first rank's \(scalarCount)")
      fused.withUnsafeMutableBufferPointer { buffer in
        var offset = 0
        for parameter in parameters {
          let g = parameter.gradient().data
          for j in 0..<parameter.count { buffer[offset + j] += g[j] }
          offset += parameter.count
        }
        for (j, value) in values.enumerated() { buffer[gradientCount + j] += value }
      }
    }
    fused.withUnsafeMutableBufferPointer { parallelism.communicator.allreduceSum($0) }
    let scale = Float(worldSize)
    fused.withUnsafeBufferPointer { buffer in
      var offset = 0
      for parameter in parameters {
        let g = parameter.gradient().data
        for j in 0..<parameter.count { g[j] = buffer[offset + j] / scale }
        offset += parameter.count
      }
    }
    return Array(fused[gradientCount...])
  }

  /// Runs `body` as `rank`: an emulated rank's running statistics swapped in, drop path at `generator`'s
  /// state drawing for `rank`'s rows.
  func enter<T>(_ rank: Int, generator: SplitMix64?, _ body: () -> T) -> T {
    guard parallelism.isEmulated else { return body() }
    if let dropPath, let generator {
      dropPath.generator = generator
      dropPath.replica = (rank, worldSize)
    }
    if emulatedStatistics.isEmpty {
      for other in parallelism.localRanks.dropFirst() { emulatedStatistics[other] = statistics.map { $0.saved() } }
    }
    guard let own = emulatedStatistics[rank] else { return body() }
    let live = statistics.map { $0.saved() }
    for (running, saved) in zip(statistics, own) { running.restore(saved) }
    let result = body()
    emulatedStatistics[rank] = statistics.map { $0.saved() }
    for (running, saved) in zip(statistics, live) { running.restore(saved) }
    return result
  }

  /// The running statistics of the emulated ranks, to put back when a step fails.
  public func savedEmulatedStatistics() -> [Int: [RunningStatistics.Saved]] { emulatedStatistics }

  /// Puts back what `savedEmulatedStatistics()` returned.
  public func restoreEmulatedStatistics(_ saved: [Int: [RunningStatistics.Saved]]) { emulatedStatistics = saved }

  /// Gives every emulated rank the live running statistics, as a restored checkpoint gives every process
  /// rank 0's.
  public func resetEmulatedStatistics() { emulatedStatistics = [:] }
}
