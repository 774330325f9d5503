import Architecture
import Foundation
import RunEvents
import SyntheticRuns

/// The run the dashboard tests draw: an HLS search on long-tailed CIFAR-10 with four searched components,
/// 10 steps an epoch, 3 finished epochs of 10 planned, a user pause at step 14 and an edit of mu at step 22
/// (the shared `SyntheticRun` generator, deterministic).
enum RecordedRun {
  static let muEdit = ScheduleEdit(target: .mu, curve: .linear(from: 1, to: 0.2))

  static var run: SyntheticRun {
    var run = SyntheticRun()
    run.pauses = [14]
    run.edits = [(22, muEdit)]
    return run
  }

  static var schedules: Schedules { run.schedules }

  static func epochReport(_ epoch: Int, schedules: Schedules) -> EpochReport {
    run.epochReport(epoch, schedules: schedules)
  }

  /// The events in order.
  static func events() -> [RunEvent] { run.events() }
}
