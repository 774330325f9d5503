/// Errors of the training phase.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  case shapeMismatch(name: String, expected: [Int], found: [Int])
  case invalidSetting(String)
  case invalidCheckpoint(String)
  case invalidGenotype(String)

  public var description: String {
    switch self {
    case .shapeMismatch(let name, let expected, let found):
      "tensor '\(name)' has shape \(found), the network expects \(expected)"
    case .invalidSetting(let message): message
    case .invalidCheckpoint(let message): "checkpoint: \(message)"
    case .invalidGenotype(let message): message
    }
  }
}
