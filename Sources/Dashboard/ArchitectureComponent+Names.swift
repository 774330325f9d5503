import Architecture

extension ArchitectureComponent {
  /// Names for a heatmap's title, longest first, so a narrow map keeps a whole name beside its range:
  /// `backbone reduction cell`, `reduction cell`, `reduce`.
  var heatmapNames: [String] {
    switch self {
    case .normal: [title, "normal cell", "normal"]
    case .reduce: [title, "reduction cell", "reduce"]
    case .instance: [title, "instance", "inst"]
    case .class: [title, "class"]
    }
  }
}
