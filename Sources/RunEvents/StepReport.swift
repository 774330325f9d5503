import Architecture
import Foundation

/// One search step.
public struct StepReport: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Step within the epoch, from 0.
  public var step: Int
  public var globalStep: Int
  /// Weight-step (training) loss.
  public var trainLoss: Double
  /// Architecture-step (validation) loss.
  public var validationLoss: Double
  /// Two-head methods: the instance- and class-sampled parts of the training loss, CE(z, y_i) and CE(z, y_c).
  public var trainLossInstance: Double?
  public var trainLossClass: Double?
  public var values: ScheduleValues
  public var imagesPerSecond: Double

  public init(
    epoch: Int, step: Int, globalStep: Int, trainLoss: Double, validationLoss: Double, trainLossInstance: Double? = nil,
    trainLossClass: Double? = nil, values: ScheduleValues, imagesPerSecond: Double
  ) {
    self.epoch = epoch
    self.step = step
    self.globalStep = globalStep
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.trainLossInstance = trainLossInstance
    self.trainLossClass = trainLossClass
    self.values = values
    self.imagesPerSecond = imagesPerSecond
  }
}
