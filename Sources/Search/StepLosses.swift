import Engine
import RunLoop

/// Losses of one search step.
public struct StepLosses: Sendable, Equatable {
  /// Training loss (weight step) before the update; NaN when the step stopped before the weight step.
  public var train: Float
  /// Validation loss of the architecture step (NaN when no architecture step ran).
  public var validation: Float
  /// Two-head networks: CE(z, y_instance) and CE(z, y_class) of the training loss.
  public var trainInstance: Float?
  public var trainClass: Float?
  /// Training images whose prediction matched their target; with two heads mu * (matches of the instance
  /// targets) + (1 - mu) * (matches of the class targets), as `StepOutcome.correct`.
  public var trainCorrect: Double
  /// Why the step changed no parameter (a loss or gradient norm that is not finite); nil when it applied.
  public var failure: String?

  /// Whether the step was applied.
  public var isFinite: Bool { failure == nil }
}
