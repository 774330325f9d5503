import Architecture
import Engine

/// The shape of a search network.
public struct NetworkShape: Sendable, Codable, Equatable {
  /// Initial channels C.
  public var channels: Int
  public var classes: Int
  /// Backbone cells L; reductions at L/3 and 2L/3.
  public var layers: Int
  /// The cell shape (DARTS: four nodes, all concatenated).
  public var topology: CellTopology = .darts
  public var stemMultiplier: Int = 3
  public var inputChannels: Int
  /// 0 for plain DARTS, 2 for the BBN two-head network.
  public var heads: Int
  /// Normal cells per head.
  public var headCells: Int

  public init(channels: Int, classes: Int, layers: Int, inputChannels: Int, heads: Int = 0, headCells: Int = 1) {
    self.channels = channels
    self.classes = classes
    self.layers = layers
    self.inputChannels = inputChannels
    self.heads = heads
    self.headCells = headCells
  }

  /// Whether the network has the instance and class heads.
  public var isTwoHead: Bool { heads == 2 }

  /// The components searched by this network.
  public var components: [ArchitectureComponent] {
    isTwoHead ? ArchitectureComponent.allCases : [.normal, .reduce]
  }
}
