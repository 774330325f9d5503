import Architecture
import Foundation

/// The normal end of a run.
public struct RunFinished: Codable, Sendable, Equatable {
  public var epochs: Int
  public var bestTestAccuracy: Double
  public var bestEpoch: Int
  /// True when stopped by a command before the last epoch.
  public var stopped: Bool

  public init(epochs: Int, bestTestAccuracy: Double, bestEpoch: Int, stopped: Bool) {
    self.epochs = epochs
    self.bestTestAccuracy = bestTestAccuracy
    self.bestEpoch = bestEpoch
    self.stopped = stopped
  }
}
