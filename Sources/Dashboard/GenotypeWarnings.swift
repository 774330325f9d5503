import Architecture
import Presentation
import RunEvents

/// Warnings about a degenerate cell: skip connections or `none` taking over.
public enum GenotypeWarnings {
  /// The share of kept edges that must be skip_connect for a warning.
  public static let skipShare = 0.5
  /// The share of edges whose argmax must be `none` for a warning.
  public static let noneShare = 0.5

  /// Warnings for one component: skip_connect on at least half of the genotype's kept edges, or `none` the
  /// argmax of at least half of the edges.
  public static func check(genotype: CellGenotype?, alphas: [[Double]]?, primitives: [Primitive]) -> [String] {
    var warnings: [String] = []
    if let genotype, !genotype.edges.isEmpty {
      let skips = genotype.edges.filter { $0.op == .skip_connect }.count
      if Double(skips) >= skipShare * Double(genotype.edges.count) {
        warnings.append("skip_connect takes over: \(skips) of \(genotype.edges.count) kept edges")
      }
    }
    if let alphas, !alphas.isEmpty, let none = primitives.firstIndex(of: .none) {
      let count = HeatmapPanel.argmax(alphas).filter { $0 == none }.count
      if Double(count) >= noneShare * Double(alphas.count) {
        warnings.append("none is the argmax of \(count) of \(alphas.count) edges")
      }
    }
    return warnings
  }
}
