import Datasets
import Engine

/// Draws initial weights as PyTorch's default for convolutions and linear layers:
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform with a = sqrt(5)).
public struct WeightInitializer {
  public var generator: SplitMix64

  public init(seed: UInt64) {
    generator = SplitMix64(seed: seed)
  }

  /// A trainable tensor of `shape` whose fan-in is the product of all dimensions but the first.
  public mutating func uniform(_ shape: [Int]) -> Tensor {
    uniform(shape, fanIn: shape.dropFirst().reduce(1, *))
  }

  /// A trainable tensor of `shape` drawn from U(-1/sqrt(fanIn), 1/sqrt(fanIn)), as a linear layer's bias.
  public mutating func uniform(_ shape: [Int], fanIn: Int) -> Tensor {
    let bound = 1 / Float(fanIn).squareRoot()
    let t = Tensor(uninitialized: shape, requiresGrad: true)
    for i in 0..<t.count { t[i] = Float.random(in: -bound...bound, using: &generator) }
    return t
  }
}
