import Datasets
import Engine

/// A tensor with its conventional DARTS `state_dict` name.
public struct NamedTensor: @unchecked Sendable {
  public let name: String
  public let tensor: Tensor

  public init(_ name: String, _ tensor: Tensor) {
    self.name = name
    self.tensor = tensor
  }
}

/// What a forward pass needs besides its input: the tape and the BN mode.
public struct ForwardContext {
  public let tape: Tape
  /// Batch-statistics BN when true, running statistics when false.
  public let training: Bool

  public init(tape: Tape, training: Bool) {
    self.tape = tape
    self.training = training
  }
}

/// A building block of the search network with named parameters.
public protocol Layer: AnyObject {
  /// Applies the layer.
  func callAsFunction(_ x: Tensor, _ context: ForwardContext) -> Tensor
  /// Appends the trainable tensors under `prefix` (e.g. `cells.0._ops.3._ops.4.`).
  func collectParameters(prefix: String, into list: inout [NamedTensor])
  /// Appends the non-trainable state (BN running statistics) under `prefix`.
  func collectBuffers(prefix: String, into list: inout [NamedTensor])
}

extension Layer {
  public func collectBuffers(prefix: String, into list: inout [NamedTensor]) {}
}

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
