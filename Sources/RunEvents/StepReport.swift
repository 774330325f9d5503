import Architecture
import Foundation

/// One step of a run: a search step (weight step and architecture step) or a training step.
public struct StepReport: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Step within the epoch, from 0.
  public var step: Int
  public var globalStep: Int
  /// Weight-step (training) loss; for a training run the main classifier's loss, without the auxiliary head.
  public var trainLoss: Double
  /// The search's architecture-step (validation) loss; nil for a training run.
  public var validationLoss: Double?
  /// A training run's auxiliary-head loss (unweighted), when it has the head.
  public var auxiliaryLoss: Double?
  /// Two-head methods: the instance- and class-sampled parts of the training loss, CE(z, y_i) and CE(z, y_c).
  public var trainLossInstance: Double?
  public var trainLossClass: Double?
  public var values: ScheduleValues
  public var imagesPerSecond: Double

  public init(
    epoch: Int, step: Int, globalStep: Int, trainLoss: Double, validationLoss: Double?, auxiliaryLoss: Double? = nil,
    trainLossInstance: Double? = nil, trainLossClass: Double? = nil, values: ScheduleValues, imagesPerSecond: Double
  ) {
    self.epoch = epoch
    self.step = step
    self.globalStep = globalStep
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.auxiliaryLoss = auxiliaryLoss
    self.trainLossInstance = trainLossInstance
    self.trainLossClass = trainLossClass
    self.values = values
    self.imagesPerSecond = imagesPerSecond
  }
}
