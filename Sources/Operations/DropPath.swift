import Datasets
import Engine

/// Drop path (DARTS `utils.drop_path`, from FractalNet): during training each edge output whose op is not the
/// identity is kept with probability keep = 1 - p per image and scaled by 1 / keep, y = x / keep * mask,
/// mask ~ Bernoulli(keep), one draw per image and edge. The generator is part of the training state.
public final class DropPath: @unchecked Sendable {
  /// The drop probability p; 0 turns drop path off.
  public var probability: Double
  /// The generator of the masks.
  public var generator: SplitMix64
  /// The rank whose rows of the batch this process computes, of how many: every rank draws the masks of
  /// the whole batch and takes its rows, so a data-parallel run drops what one process would.
  public var replica = (index: 0, count: 1)

  public init(probability: Double, generator: SplitMix64) {
    self.probability = probability
    self.generator = generator
  }

  /// The keep probability 1 - p, as the masks and the scaling use it.
  public var keep: Float { Float(1 - probability) }

  /// `x` with whole images dropped, or `x` itself when p = 0.
  public func callAsFunction(_ x: Tensor, tape: Tape) -> Tensor {
    guard let mask = mask(images: x.shape[0]) else { return x }
    return tape.dropPath(x, keep: keep, mask: mask)
  }

  /// The next mask of one edge (`images` Bernoulli(keep) draws of this replica's slice, as `callAsFunction`
  /// draws them), or nil when p = 0 (no draw).
  public func mask(images: Int) -> [Float]? {
    guard probability > 0 else { return nil }
    // A replica draws the masks of the whole global batch, as every rank does, and keeps its own slice.
    let mask = Tape.dropPathMask(images: images * replica.count, keep: keep, using: &generator)
    guard replica.count > 1 else { return mask }
    return Array(mask[replica.index * images..<(replica.index + 1) * images])
  }
}
