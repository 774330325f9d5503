import Foundation
import RunEvents
import RunLoop
import Search
import Training

extension ProcessWorld {
  /// On a rank other than 0: builds and runs every loop rank 0 announces, silently, until rank 0 ends the
  /// job; returns the exit status (0, or 1 when this rank cannot build a loop: its message goes to
  /// standard error and `mpirun` ends the job).
  func follow() -> Int32 {
    let rank = communicator.rank
    while let bytes = Replication.receiveAnnouncement(over: communicator) {
      do {
        let announcement = try JSONDecoder().decode(LoopAnnouncement.self, from: Data(bytes))
        let loop = try followerLoop(announcement)
        _ = loop.run()
        if loop.replication?.leaderEnded == true { break }
      } catch {
        printError("tailnas: rank \(rank) cannot take part in the run: \(error)")
        return 1
      }
    }
    return 0
  }

  /// The loop `announcement` describes, with no events, controls of its own or checkpoints.
  func followerLoop(_ announcement: LoopAnnouncement) throws -> EpochLoop {
    let phase: RunPhase
    let schedules: Schedules
    switch announcement.kind {
    case .search:
      let configuration = try SearchConfiguration.parse(toml: announcement.configuration, source: "rank 0")
      let (train, test) = try configuration.data.load(status: { _ in })
      phase = try SearchPhase(
        configuration: configuration, runID: announcement.runID, train: train, test: test, parallelism: parallelism)
      schedules = configuration.schedules
    case .training:
      let configuration = try TrainingConfiguration.parse(toml: announcement.configuration, source: "rank 0")
      let (train, test) = try configuration.data.load(status: { _ in })
      phase = try TrainingPhase(
        configuration: configuration, runID: announcement.runID, train: train, test: test, parallelism: parallelism)
      schedules = configuration.schedules
    }
    let loop = EpochLoop(
      phase: phase, schedules: schedules, sink: FanOutSink([]), controls: ControlQueue(),
      nanPolicy: announcement.nanPolicy)
    loop.replication = Replication(communicator: communicator)
    return loop
  }
}
