import Datasets
import Engine

/// The data of a training run: the whole long-tailed training set (both halves of the search's split, the
/// same images as the search of the same data settings), the balanced test subset evaluated each epoch,
/// class counts, shot groups, and the training augmentation with cutout.
public final class TrainingData {
  public let train: ImageDataset
  public let test: ImageDataset
  /// Long-tailed indices into `train`, sorted by class.
  public let longTail: [Int]
  /// Training counts per class.
  public let classCounts: [Int]
  public let shotGroups: ShotGroups
  /// Test images evaluated each epoch (balanced over classes).
  public let testIndices: [Int]
  /// The data set's crop and flip, with cutout when the configuration asks for it.
  public let augmentation: Augmentation

  public init(train: ImageDataset, test: ImageDataset, configuration c: TrainingConfiguration) throws {
    self.train = train
    self.test = test
    longTail = try c.data.longTail(of: train)
    classCounts = train.classCounts(of: longTail)
    shotGroups = c.data.shotGroups(counts: classCounts)
    testIndices = c.data.testIndices(of: test)
    var augmentation = train.trainingAugmentation
    augmentation.cutoutLength = c.cutoutSide(imageSize: train.width)
    self.augmentation = augmentation
  }

  /// A sampler over the long-tailed set.
  public func sampler(_ kind: SamplerKind, stream: UInt64, seed: UInt64) -> Sampler {
    Sampler(
      kind: kind, indices: longTail, labels: train.labels, classCount: train.classCount,
      seed: SplitMix64.derivedSeed(seed, stream: stream))
  }

  /// An augmented batch tensor [n, C, H, W] of `indices`.
  public func batch(_ indices: [Int], generator: inout SplitMix64) -> Tensor {
    let t = Tensor(uninitialized: [indices.count, train.channels, train.height, train.width])
    train.fillBatch(indices: indices, into: t.data, augmentation: augmentation, generator: &generator)
    return t
  }
}
