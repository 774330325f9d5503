import Architecture
import Foundation

/// An abnormal end.
public struct RunFailed: Codable, Sendable, Equatable {
  public var reason: String

  public init(reason: String) {
    self.reason = reason
  }
}
