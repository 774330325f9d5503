/// The searched architecture components and their alpha tensors: the backbone's normal and reduction cells
/// and, in the two-head (BBN) network, the instance and class heads' normal cells.
public enum ArchitectureComponent: String, CaseIterable, Sendable, Codable, Hashable, CodingKeyRepresentable {
  case normal
  case reduce
  case instance
  case `class`

  /// The conventional parameter name, e.g. `alphas_normal`.
  public var parameterName: String { "alphas_\(rawValue)" }

  /// A human title for figures and the dashboard.
  public var title: String {
    switch self {
    case .normal: "backbone normal cell"
    case .reduce: "backbone reduction cell"
    case .instance: "instance head"
    case .class: "class head"
    }
  }

  /// The part of the network the component belongs to; HLS schedules one architecture learning rate per part.
  public var part: ArchitecturePart {
    switch self {
    case .normal, .reduce: .backbone
    case .instance: .instance
    case .class: .class
    }
  }

  /// Whether the component's cells halve the resolution at their inputs.
  public var isReduction: Bool { self == .reduce }
}
