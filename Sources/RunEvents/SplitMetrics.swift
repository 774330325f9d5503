import Architecture
import Foundation

/// Loss and top-1 accuracy on one split.
public struct SplitMetrics: Codable, Sendable, Equatable {
  public var loss: Double
  public var accuracy: Double

  public init(loss: Double, accuracy: Double) {
    self.loss = loss
    self.accuracy = accuracy
  }
}
