import CMPI
import Collectives
import Foundation

/// The processes `mpirun` started, as a `Communicator` over `MPI_COMM_WORLD`.
///
/// MPI is initialised with `MPI_THREAD_SERIALIZED`: the run's engine thread makes the collective calls,
/// one at a time. MPI's default error handler stays: a failed call (a rank that died) aborts the job.
public final class MPIWorld: Communicator {
  public let rank: Int
  public let size: Int

  /// Initialises MPI; call once per process, on the main thread, and `finalize()` before exiting.
  public init() {
    var provided: Int32 = 0
    MPI_Init_thread(nil, nil, tailnas_mpi_thread_serialized(), &provided)
    if provided < tailnas_mpi_thread_serialized() {
      fatalError("tailnas: this MPI library cannot take calls from the engine thread (MPI_THREAD_SERIALIZED)")
    }
    var rank: Int32 = 0
    var size: Int32 = 0
    MPI_Comm_rank(tailnas_mpi_comm_world(), &rank)
    MPI_Comm_size(tailnas_mpi_comm_world(), &size)
    self.rank = Int(rank)
    self.size = Int(size)
  }

  /// Whether this process was started by `mpirun` (Open MPI or another PMI launcher sets these).
  public static var isLaunched: Bool {
    let environment = ProcessInfo.processInfo.environment
    return ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"].contains { environment[$0] != nil }
  }

  /// The ranks `mpirun` started on this machine (Open MPI's local size), 1 when it does not say.
  public static var ranksOnThisMachine: Int {
    ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap { Int($0) } ?? 1
  }

  /// Sums in rank order, ((b_0 + b_1) + b_2) + ..., the order of a process that emulates the ranks
  /// (`Replicas.reduce`), so that any rank count reproduces the emulation bit for bit: `MPI_Allreduce`
  /// leaves the order to the library (Open MPI adds 4 ranks' buffers pairwise, and a 4-rank search then
  /// drifted from its emulation in the last bits). Rank k receives the partial sum of ranks 0..<k from rank
  /// k - 1 a chunk at a time, adds its own and passes it on, so the chunks flow down the ranks as a
  /// pipeline; the last rank broadcasts the total. Each rank sends and receives the buffer about twice, as
  /// a library allreduce does.
  public func allreduceSum(_ buffer: UnsafeMutableBufferPointer<Float>) {
    guard size > 1, let base = buffer.baseAddress else { return }
    let chunk = 1 << 14
    var partial = [Float](repeating: 0, count: min(chunk, buffer.count))
    for start in stride(from: 0, to: buffer.count, by: chunk) {
      let count = min(chunk, buffer.count - start)
      if rank > 0 {
        MPI_Recv(
          &partial, Int32(count), tailnas_mpi_float(), Int32(rank - 1), 0, tailnas_mpi_comm_world(),
          tailnas_mpi_status_ignore())
        for j in 0..<count { base[start + j] = partial[j] + base[start + j] }
      }
      if rank < size - 1 {
        MPI_Send(base + start, Int32(count), tailnas_mpi_float(), Int32(rank + 1), 0, tailnas_mpi_comm_world())
      }
    }
    for (start, count) in Self.chunks(buffer.count) {
      MPI_Bcast(base + start, count, tailnas_mpi_float(), Int32(size - 1), tailnas_mpi_comm_world())
    }
  }

  /// The byte count goes first, as a non-blocking broadcast this rank waits for without spinning
  /// (`waitSleeping`): the other ranks reach a broadcast long before the root when it has work of its own
  /// first (rank 0 evaluates the test set alone after each epoch), and a blocking `MPI_Bcast` would poll
  /// at full speed all that time, taking a core from the root's threads on a shared machine.
  public func broadcast(_ bytes: inout [UInt8], root: Int) {
    var count = UInt64(bytes.count)
    var request: MPI_Request?
    MPI_Ibcast(&count, 1, tailnas_mpi_uint64(), Int32(root), tailnas_mpi_comm_world(), &request)
    Self.waitSleeping(&request)
    if rank != root { bytes = [UInt8](repeating: 0, count: Int(count)) }
    bytes.withUnsafeMutableBufferPointer { buffer in
      for (start, count) in Self.chunks(buffer.count) {
        MPI_Bcast(buffer.baseAddress! + start, count, tailnas_mpi_byte(), Int32(root), tailnas_mpi_comm_world())
      }
    }
  }

  public func allgather(_ words: [UInt64]) -> [[UInt64]] {
    var all = [UInt64](repeating: 0, count: words.count * size)
    var mine = words
    MPI_Allgather(
      &mine, Int32(words.count), tailnas_mpi_uint64(), &all, Int32(words.count), tailnas_mpi_uint64(),
      tailnas_mpi_comm_world())
    return (0..<size).map { Array(all[$0 * words.count..<($0 + 1) * words.count]) }
  }

  /// Waits for `request`, testing it with `MPI_Test` and sleeping between tests: 20 microseconds at first,
  /// doubling to at most 2 ms, so that a short wait costs little latency and a long one almost no CPU.
  static func waitSleeping(_ request: inout MPI_Request?) {
    var done: Int32 = 0
    var pause: UInt32 = 20
    while true {
      MPI_Test(&request, &done, tailnas_mpi_status_ignore())
      if done != 0 { return }
      usleep(pause)
      pause = min(pause * 2, 2000)
    }
  }

  /// Ends MPI in this process.
  public func finalize() {
    MPI_Finalize()
  }

  /// Ranges of at most `Int32.max` elements covering `count` (MPI counts are 32-bit).
  static func chunks(_ count: Int) -> [(Int, Int32)] {
    let most = Int(Int32.max)
    return stride(from: 0, to: count, by: most).map { ($0, Int32(min(most, count - $0))) }
  }
}
