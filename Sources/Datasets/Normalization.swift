import Requirement

/// Per-channel normalisation applied when pixels become network input:
/// `value = (pixel / 255 - mean[c]) / std[c]`.
public struct Normalization: Sendable, Codable, Equatable {
  /// Mean of each channel on the `[0, 1]` scale.
  public var mean: [Float]
  /// Standard deviation of each channel on the `[0, 1]` scale.
  public var std: [Float]

  /// Creates a normalisation from per-channel statistics; `mean` and `std` must have equal, non-zero
  /// length and every `std` must be positive.
  public init(mean: [Float], std: [Float]) {
    require(!mean.isEmpty, "Normalization: mean needs one value per channel, got none")
    require(
      mean.count == std.count,
      "Normalization: mean and std need one value per channel each, got \(mean.count) and \(std.count)")
    require(std.allSatisfy { $0 > 0 }, "Normalization: every std must be positive, got \(std)")
    self.mean = mean
    self.std = std
  }

  /// The conventional Fashion-MNIST statistics (mean 0.2860, std 0.3530).
  public static let fashionMNIST = Normalization(mean: [0.2860], std: [0.3530])
  /// The conventional MNIST statistics (mean 0.1307, std 0.3081).
  public static let mnist = Normalization(mean: [0.1307], std: [0.3081])
  /// The conventional CIFAR-10 statistics used by DARTS.
  public static let cifar10 = Normalization(
    mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616])

  /// Maps `[0, 1]` pixels to `[-1, 1]` for any number of channels (mean 0.5, std 0.5).
  public static func symmetric(channels: Int) -> Normalization {
    Normalization(mean: Array(repeating: 0.5, count: channels), std: Array(repeating: 0.5, count: channels))
  }

  /// The number of channels this normalisation describes.
  public var channels: Int { mean.count }

  /// The normalised value of a raw pixel in channel `channel`.
  @inlinable
  public func normalize(_ pixel: UInt8, channel: Int) -> Float {
    (Float(pixel) / 255 - mean[channel]) / std[channel]
  }

  /// The normalised value of every byte for every channel, `table[channel * 256 + pixel]`, computed
  /// exactly as `(pixel / 255 - mean) / std` in `Float` (the torchvision `ToTensor` + `Normalize` order).
  var lookupTable: [Float] {
    var table = [Float]()
    table.reserveCapacity(channels * 256)
    for channel in 0..<channels {
      for pixel in 0..<256 {
        table.append(normalize(UInt8(pixel), channel: channel))
      }
    }
    return table
  }
}
