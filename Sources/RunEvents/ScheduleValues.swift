import Architecture

/// The schedule values in force at one epoch.
public struct ScheduleValues: Codable, Sendable, Equatable {
  public var weightLearningRate: Double
  public var mu: Double
  public var architectureLearningRates: [ArchitectureComponent: Double]

  public init(weightLearningRate: Double, mu: Double, architectureLearningRates: [ArchitectureComponent: Double]) {
    self.weightLearningRate = weightLearningRate
    self.mu = mu
    self.architectureLearningRates = architectureLearningRates
  }
}
