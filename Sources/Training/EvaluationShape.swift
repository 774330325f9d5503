import Architecture

/// The size of an evaluation network (DARTS `NetworkCIFAR`, optionally with the two BBN heads).
public struct EvaluationShape: Sendable, Equatable, Codable {
  /// Initial channels C; the stem has 3C, and each reduction doubles C.
  public var channels: Int
  public var classes: Int
  /// Backbone cells L; reductions at L/3 and 2L/3.
  public var layers: Int
  public var inputChannels: Int
  /// Height and width of the (square) input images.
  public var imageSize: Int
  /// Whether the auxiliary head (after cell 2L/3, training only) exists.
  public var auxiliary: Bool
  /// 0 for the plain network, 2 for the instance and class heads.
  public var heads: Int
  /// Normal cells per head.
  public var headCells: Int

  public init(
    channels: Int, classes: Int, layers: Int, inputChannels: Int, imageSize: Int, auxiliary: Bool, heads: Int = 0,
    headCells: Int = 1
  ) {
    self.channels = channels
    self.classes = classes
    self.layers = layers
    self.inputChannels = inputChannels
    self.imageSize = imageSize
    self.auxiliary = auxiliary
    self.heads = heads
    self.headCells = headCells
  }

  /// Whether the network has the instance and class heads.
  public var isTwoHead: Bool { heads == 2 }

  /// The backbone cells that reduce: L/3 and 2L/3.
  public func isReduction(_ cell: Int) -> Bool { Reductions.isReduction(cell, layers: layers) }

  /// The backbone cell after which the auxiliary head reads: 2L/3.
  public var auxiliaryCell: Int { 2 * layers / 3 }

  /// The height (and width) of the auxiliary head's input: the image after both reductions.
  public var auxiliaryInputSize: Int {
    (0...auxiliaryCell).reduce(imageSize) { size, cell in isReduction(cell) ? (size + 1) / 2 : size }
  }

  /// Why images of this size cannot pass through the network, or nil: every reduction's input must be even
  /// (`Reductions.sizeProblem`); the auxiliary head needs at least 6x6.
  public var sizeProblem: String? {
    if let problem = Reductions.sizeProblem(imageSize: imageSize, layers: layers) { return problem }
    if auxiliary && auxiliaryInputSize < 6 {
      return "the auxiliary head reads \(auxiliaryInputSize)x\(auxiliaryInputSize) after cell \(auxiliaryCell) "
        + "and needs at least 6x6 (images of at least 24x24), or turn it off (--no-auxiliary)"
    }
    return nil
  }
}
