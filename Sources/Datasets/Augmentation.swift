import Requirement

/// Training-time augmentation, applied per image while a batch is written
/// (see ``ImageDataset/fillBatch(indices:into:augmentation:generator:)``), in the order of the usual
/// torchvision pipeline: random crop, horizontal flip, normalisation, cutout.
public struct Augmentation: Sendable, Codable, Equatable {
  /// Random crop after zero padding on every side (torchvision `RandomCrop(size, padding:)`): the image
  /// is shifted by up to `cropPadding` pixels in each direction and the uncovered border is filled with
  /// raw pixel value 0 (black), which normalises to `-mean/std`. 0 turns cropping off.
  public var cropPadding: Int
  /// Mirror the image left-right with probability 1/2.
  public var horizontalFlip: Bool
  /// Side length of the cutout square (DeVries & Taylor 2017), set to 0 after normalisation; its centre
  /// is uniform over the image and it is clipped at the borders. 0 turns cutout off.
  public var cutoutLength: Int

  /// Creates an augmentation; the arguments default to "off".
  public init(cropPadding: Int = 0, horizontalFlip: Bool = false, cutoutLength: Int = 0) {
    require(cropPadding >= 0, "Augmentation: cropPadding must not be negative, got \(cropPadding)")
    require(cutoutLength >= 0, "Augmentation: cutoutLength must not be negative, got \(cutoutLength)")
    self.cropPadding = cropPadding
    self.horizontalFlip = horizontalFlip
    self.cutoutLength = cutoutLength
  }

  /// No augmentation: evaluation and architecture validation batches.
  public static let none = Augmentation()
  /// DARTS' CIFAR-10 search augmentation: pad-4 random crop and horizontal flip (no cutout in search).
  public static let cifar10 = Augmentation(cropPadding: 4, horizontalFlip: true)
  /// Fashion-MNIST (28x28): pad-2 random crop and horizontal flip.
  public static let fashionMNIST = Augmentation(cropPadding: 2, horizontalFlip: true)
  /// MNIST: pad-2 random crop, no flip (digits are not mirror-symmetric).
  public static let mnist = Augmentation(cropPadding: 2)
  /// The synthetic data set: pad-2 random crop, no flip (a flip would turn one class's oriented
  /// stripes into another's).
  public static let synthetic = Augmentation(cropPadding: 2)

  /// Whether the augmentation changes anything (and so consumes random numbers).
  public var isIdentity: Bool { cropPadding == 0 && !horizontalFlip && cutoutLength == 0 }
}
