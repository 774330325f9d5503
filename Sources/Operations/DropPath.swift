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

  /// The next mask of one edge (`images` Bernoulli(keep) draws, as `callAsFunction` draws them), or nil
  /// when p = 0 (no draw).
  public func mask(images: Int) -> [Float]? {
    guard probability > 0 else { return nil }
    return Tape.dropPathMask(images: images, keep: keep, using: &generator)
  }
}
