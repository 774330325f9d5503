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
  public init(train: ImageDataset, test: ImageDataset, configuration c: SearchConfiguration) throws {
    self.train = train
    self.test = test
    longTail = try c.data.longTail(of: train)
    let halves = StratifiedSplit.split(
      indices: longTail, labels: train.labels, fraction: 0.5, seed: SplitMix64.derivedSeed(c.data.seed, stream: 2))
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
