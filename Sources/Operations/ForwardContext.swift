import Engine

/// What a forward pass needs besides its input: the tape, the BN mode, and drop path when it applies.
public struct ForwardContext {
  public let tape: Tape
  /// Batch-statistics BN when true, running statistics when false.
  public let training: Bool
  /// Drops whole edge outputs per image in the evaluation network's training (nil: no drop path).
  public let dropPath: DropPath?

  public init(tape: Tape, training: Bool, dropPath: DropPath? = nil) {
    self.tape = tape
    self.training = training
    self.dropPath = dropPath
  }
}
