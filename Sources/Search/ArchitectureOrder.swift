import Architecture
import Engine
import RunEvents

/// First- or second-order DARTS architecture gradients.
public enum ArchitectureOrder: String, Sendable, Codable, CaseIterable {
  case first
  case second
}
