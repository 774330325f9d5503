import Datasets
import Engine

/// The data of one search: the long-tailed training set split into a weight half and an architecture
/// half, their samplers, and the evaluation subsets.
public final class SearchData {
  public let train: ImageDataset
  public let test: ImageDataset
  /// Long-tailed indices into `train`, sorted by class.
  public let longTail: [Int]
  /// The weight-training half (stratified, shuffled).
  public let weightHalf: [Int]
  /// The architecture-training half.
  public let architectureHalf: [Int]
  /// Training counts per class of the long-tailed set.
  public let classCounts: [Int]
  public let shotGroups: ShotGroups
  /// Test images evaluated each epoch (balanced over classes).
  public let testIndices: [Int]
  /// Architecture-half images evaluated each epoch.
  public let validationIndices: [Int]

  /// Builds the long-tailed set, split and evaluation subsets from `configuration`, all seeded by its seed.
  ///
  /// - Throws: ``DataError`` when the long-tailed set cannot be built, or when it has no class with two images,
  ///   so that the architecture half would be empty.
  public init(train: ImageDataset, test: ImageDataset, configuration c: SearchConfiguration) throws {
    self.train = train
    self.test = test
    longTail = try c.data.longTail(of: train)
    let halves = StratifiedSplit.split(
      indices: longTail, labels: train.labels, fraction: 0.5, seed: SplitMix64.derivedSeed(c.data.seed, stream: 2))
    guard !halves.train.isEmpty, !halves.val.isEmpty else {
      let smallest = train.classCounts().min() ?? 0
      throw DataError.invalidDataset(
        name: train.name,
        reason: "its long-tailed set holds at most one image of each class (\(longTail.count) in all), so the "
          + "search's architecture half would be empty; a search needs a class with two images (the long tail's "
          + "largest class has at most data.max_per_class images and at most as many as the source's smallest "
          + "class, \(smallest) here)")
    }
    weightHalf = halves.train
    architectureHalf = halves.val
    classCounts = train.classCounts(of: longTail)
    shotGroups = c.data.shotGroups(counts: classCounts)
    testIndices = c.data.testIndices(of: test)
    let half = halves.val
    validationIndices = c.validationLimit.map { Array(half.prefix($0)) } ?? half
  }

  /// A sampler over a half.
  public func sampler(_ kind: SamplerKind, over indices: [Int], stream: UInt64, seed: UInt64) -> Sampler {
    Sampler(
      kind: kind, indices: indices, labels: train.labels, classCount: train.classCount,
      seed: SplitMix64.derivedSeed(seed, stream: stream))
  }

  /// A batch tensor [n, C, H, W] of `indices` from `dataset`, augmented with `augmentation`.
  public func batch(
    _ indices: [Int], from dataset: ImageDataset, augmentation: Augmentation, generator: inout SplitMix64
  ) -> Tensor {
    let t = Tensor(uninitialized: [indices.count, dataset.channels, dataset.height, dataset.width])
    dataset.fillBatch(indices: indices, into: t.data, augmentation: augmentation, generator: &generator)
    return t
  }
}
