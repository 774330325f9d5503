import RunEvents

/// What one step of a phase did, for the step event and the epoch's training metrics.
public struct StepOutcome: Sendable, Equatable {
  /// The loss of the weight step (before the update).
  public var trainLoss: Double
  /// The search's architecture-step (validation) loss; nil for phases without one.
  public var validationLoss: Double?
  /// The auxiliary head's loss, for phases that have one.
  public var auxiliaryLoss: Double?
  /// Two-head networks: CE(z, y_instance) and CE(z, y_class) of the training loss.
  public var instanceLoss: Double?
  public var classLoss: Double?
  /// Training images whose prediction matched their label, and how many were seen; with two heads the count
  /// is mu * (matches of the instance labels) + (1 - mu) * (matches of the class labels), as BBN counts it.
  public var correct: Double
  public var seen: Int
  /// Images processed by the step (both branches, both halves), for the throughput.
  public var images: Int
  /// Why the step changed nothing (a loss or gradient that is not finite); nil when it was applied.
  public var failure: String?

  public init(
    trainLoss: Double, validationLoss: Double? = nil, auxiliaryLoss: Double? = nil, instanceLoss: Double? = nil,
    classLoss: Double? = nil,
    correct: Double, seen: Int, images: Int, failure: String? = nil
  ) {
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.auxiliaryLoss = auxiliaryLoss
    self.instanceLoss = instanceLoss
    self.classLoss = classLoss
    self.correct = correct
    self.seen = seen
    self.images = images
    self.failure = failure
  }

  /// A loss value for messages: `NaN`, `inf`, `-inf` or the number.
  public static func describe(_ value: Double) -> String {
    value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "inf" : "-inf") : "\(value)"
  }
}
