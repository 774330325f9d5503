import Collectives
import Engine
import Foundation
import RunEvents
import RunLoop

#if TAILNAS_MPI
  import MPICollectives
#endif

/// The ranks this process's runs have: the processes `mpirun` started (in a build with MPI), a world that
/// this one process emulates (`TAILNAS_EMULATED_RANKS=N`, which reproduces an N-rank run bit for bit on
/// one machine), or this process alone.
///
/// Rank 0 runs the command as usual and leads every loop; the other ranks never parse their command line:
/// they follow rank 0's announcements (`follow()`) and stay silent.
final class ProcessWorld: Sendable {
  let parallelism: DataParallelism
  private let finalizer: @Sendable () -> Void

  /// The world of this process, set up by `start()` on the main thread.
  static let current = ProcessWorld()

  private init() {
    #if TAILNAS_MPI
      if MPIWorld.isLaunched {
        let world = MPIWorld()
        var parallelism = DataParallelism(communicator: world)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        parallelism.threadsPerRank = max(1, cores / max(1, MPIWorld.ranksOnThisMachine))
        self.parallelism = parallelism
        finalizer = { world.finalize() }
        return
      }
    #endif
    let emulated = ProcessInfo.processInfo.environment["TAILNAS_EMULATED_RANKS"].flatMap { Int($0) } ?? 1
    parallelism = emulated > 1 ? DataParallelism(emulating: emulated) : .single
    finalizer = {}
  }

  var communicator: Communicator { parallelism.communicator }

  /// Whether runs span more than one rank, real or emulated.
  var isReplicated: Bool { parallelism.worldSize > 1 }

  /// Sets up the world; on a rank other than 0, follows rank 0 until it ends the job and exits.
  static func start() {
    let world = current
    guard world.communicator.size > 1 else { return }
    if world.communicator.isLeader {
      atexit {
        Replication.end(over: ProcessWorld.current.communicator)
        ProcessWorld.current.finalizer()
      }
    } else {
      let status = world.follow()
      world.finalizer()
      exit(status)
    }
  }

  /// The replication of the loop `announcement` describes, which rank 0 leads; nil when the run is on one
  /// rank.
  func replication(of announcement: LoopAnnouncement, watching: Watching) -> Replication? {
    guard isReplicated else { return nil }
    let bytes = [UInt8]((try? JSONEncoder().encode(announcement)) ?? Data())
    return Replication(
      communicator: communicator, announcement: bytes,
      report: watching == .headless ? { printError("tailnas: \($0)") } : nil)
  }

  /// Warns when the checkpoint in `bytes` was written by a run on another number of ranks.
  func checkWorldSize(ofCheckpoint bytes: [UInt8]) {
    let metadata = (try? SafeTensors(bytes: Data(bytes), name: "checkpoint"))?.metadata ?? [:]
    let recorded = metadata["world_size"].flatMap { Int($0) } ?? 1
    guard recorded != parallelism.worldSize else { return }
    printError(
      "tailnas: warning: the checkpoint was written by a run on \(recorded) rank\(recorded == 1 ? "" : "s"), "
        + "this one has \(parallelism.worldSize); the run continues, but batch-norm statistics are per rank, "
        + "so it no longer matches a run on \(recorded) bit for bit")
  }
}
