/// Where a run's steps and epochs sit on a chart's x axis, which counts epochs. The dashboard's charts and
/// the SVG figures all place their points through this one definition, so a schedule edit, a pause, a loss
/// and a learning rate of the same step share an x in every chart.
///
/// With P steps an epoch, step g (counted from 0 over the whole run) runs from g/P to (g+1)/P:
/// - what a step reports (its losses, the schedule values it ran with) is drawn at its end, (g+1)/P, as an
///   epoch's report (accuracy, test loss) is drawn at the end of the epoch, e+1;
/// - what happens before step g (a schedule edit, a pause, a value that changes from step g on) is drawn at
///   the boundary g/P, after g steps, as a planned value of epoch e starts at e.
///
/// So an edit applied before step g sits exactly where the last step of the old values ends, and a step
/// function of executed values changes at the edit's marker.
public struct EpochAxis: Sendable, Equatable {
  /// Steps an epoch, at least 1.
  public let stepsPerEpoch: Int

  /// The axis of a run with `stepsPerEpoch` steps an epoch (values below 1 count as 1).
  public init(stepsPerEpoch: Int) {
    self.stepsPerEpoch = max(stepsPerEpoch, 1)
  }

  /// The x of the end of step `globalStep`, where its report is drawn. A `Double` because down-sampled
  /// histories average neighbouring steps.
  public func afterStep(_ globalStep: Double) -> Double {
    (globalStep + 1) / Double(stepsPerEpoch)
  }

  /// The x of the end of step `globalStep`, where its report is drawn.
  public func afterStep(_ globalStep: Int) -> Double {
    afterStep(Double(globalStep))
  }

  /// The x of the boundary before step `globalStep` (after `globalStep` steps), where something applied
  /// before that step is drawn.
  public func beforeStep(_ globalStep: Int) -> Double {
    Double(globalStep) / Double(stepsPerEpoch)
  }

  /// The x of the end of epoch `epoch` (counted from 0), where its report is drawn: `epoch + 1`.
  public static func afterEpoch(_ epoch: Int) -> Double {
    Double(epoch + 1)
  }

  /// The x of the start of epoch `epoch` (counted from 0), where its planned values begin: `epoch`.
  public static func beforeEpoch(_ epoch: Int) -> Double {
    Double(epoch)
  }
}
