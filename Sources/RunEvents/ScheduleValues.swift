import Architecture

/// The schedule values in force at one epoch.
public struct ScheduleValues: Codable, Sendable, Equatable {
  public var weightLearningRate: Double
  public var mu: Double
  public var architectureLearningRates: [ArchitectureComponent: Double]
  /// A training run's drop-path probability.
  public var dropPath: Double?

  public init(
    weightLearningRate: Double, mu: Double, architectureLearningRates: [ArchitectureComponent: Double],
    dropPath: Double? = nil
  ) {
    self.weightLearningRate = weightLearningRate
    self.mu = mu
    self.architectureLearningRates = architectureLearningRates
    self.dropPath = dropPath
  }
}
