/// The parts of the two-head network whose architecture learning rates HLS schedules separately: the
/// backbone (normal and reduction cells share one rate), the instance head and the class head.
public enum ArchitecturePart: String, CaseIterable, Sendable, Codable, Hashable, CodingKeyRepresentable {
  case backbone
  case instance
  case `class`

  /// The components of the part.
  public var components: [ArchitectureComponent] {
    switch self {
    case .backbone: [.normal, .reduce]
    case .instance: [.instance]
    case .class: [.class]
    }
  }

  /// A short title, e.g. `backbone`.
  public var title: String { rawValue }
}
