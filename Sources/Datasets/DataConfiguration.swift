import Settings

/// Which images a run learns from and how it reports them, shared by the search and the training phase:
/// the data set and its directory, the long tail (imbalance ratio, largest class), the seed of every draw,
/// how many test images each epoch evaluates, and the shot-group thresholds.
public struct DataConfiguration: Sendable, Equatable {
  public var dataset: DatasetSource = .fashionMNIST
  /// Directory of the data files; the data set's default when nil.
  public var directory: String?
  /// rho = n_max / n_min.
  public var imbalanceRatio: Double = 100
  /// Images of the largest class; the smallest class size of the source when nil.
  public var maxPerClass: Int?
  /// Seed of the long-tail subset, the split, samplers, initialisation and augmentation.
  public var seed: UInt64 = 0
  /// Test images evaluated per epoch (balanced over classes); all when nil.
  public var evaluationLimit: Int?
  /// Shot groups by count thresholds (many if n > manyAbove, few if n < fewBelow); thirds of the classes
  /// when nil.
  public var manyAbove: Int?
  public var fewBelow: Int?

  public init() {}

  /// Loads the training and test sets, saying what it does on `status`.
  public func load(status: (String) -> Void) throws -> (train: ImageDataset, test: ImageDataset) {
    let location = directory ?? dataset.defaultDirectory ?? "generated in memory"
    status("loading \(dataset.rawValue) (\(location))")
    return try dataset.load(directory: directory, seed: seed)
  }

  /// Indices of the long-tailed training set in `train`, sorted by class: n_i = floor(n_max rho^(-i/(C-1)))
  /// images of class i, chosen by the seed (the same images for the search and the training of a run).
  ///
  /// - Throws: ``DataError/invalidDataset(name:reason:)`` when a class of `train` has no images: n_max is at
  ///   most the smallest class, so the long-tailed set would be empty.
  public func longTail(of train: ImageDataset) throws -> [Int] {
    let sourceCounts = train.classCounts()
    if let empty = sourceCounts.firstIndex(of: 0) {
      throw DataError.invalidDataset(
        name: train.name,
        reason: "class \(empty) of \(train.classCount) has no images, and the long tail needs at least one image "
          + "of every class (its largest class is at most as large as the smallest class of the source)")
    }
    return try LongTail.subset(
      of: train, imbalanceRatio: imbalanceRatio,
      nMax: maxPerClass.map { min($0, sourceCounts.min() ?? $0) }, seed: SplitMix64.derivedSeed(seed, stream: 1))
  }

  /// The shot groups of classes with training `counts`: by the thresholds when set, else thirds.
  public func shotGroups(counts: [Int]) -> ShotGroups {
    if let manyAbove, let fewBelow {
      return ShotGroups(trainingCounts: counts, manyAbove: manyAbove, fewBelow: fewBelow)
    }
    return ShotGroups(trainingCounts: counts)
  }

  /// The test images evaluated each epoch: the first limit / classes images of each class, interleaved;
  /// all when there is no limit.
  public func testIndices(of test: ImageDataset) -> [Int] {
    guard let limit = evaluationLimit, limit < test.count else { return Array(0..<test.count) }
    let perClass = max(1, limit / test.classCount)
    return test.indicesByClass().flatMap { $0.prefix(perClass) }.sorted()
  }

  /// The data settings of a configuration that keeps its data settings at `path`.
  public static func settings<Root>(at path: WritableKeyPath<Root, DataConfiguration>) -> [Setting<Root>] {
    [
      .choice(
        "data", "dataset", path.appending(path: \.dataset),
        help: "The data set: Fashion-MNIST (Debian dataset-fashion-mnist), MNIST or CIFAR-10 files, or synthetic."),
      .optionalText(
        "data", "data_dir", path.appending(path: \.directory), valueName: "dir", unset: "the data set's default",
        help: "Directory of the data files (IDX or CIFAR-10 binary)."),
      .number(
        "data", "imbalance_ratio", path.appending(path: \.imbalanceRatio), range: .atLeast(1), valueName: "rho",
        help: "rho = n_max / n_min of the long-tailed training set."),
      .optionalInteger(
        "data", "max_per_class", path.appending(path: \.maxPerClass), range: .integers(atLeast: 1),
        unset: "the smallest class of the source", help: "Images of the largest class."),
      Setting(
        section: "data", key: "seed", valueName: "n",
        help: "Seed of the data subset, split, samplers, initialisation and augmentation.",
        accepted: .range(.integers(atLeast: 0)),
        read: { value, root in
          root[keyPath: path].seed = UInt64(try Setting<Root>.readInteger(value, range: .integers(0...Int.max)))
        }, current: { .integer(Int(truncatingIfNeeded: $0[keyPath: path].seed)) }),
      .optionalInteger(
        "data", "evaluation_limit", path.appending(path: \.evaluationLimit), range: .integers(atLeast: 10),
        unset: "all", help: "Test images evaluated per epoch, balanced over classes."),
      .optionalInteger(
        "groups", "many_above", path.appending(path: \.manyAbove), range: .integers(atLeast: 0),
        unset: "thirds of the classes by count", help: "Many-shot classes have more training images than this."),
      .optionalInteger(
        "groups", "few_below", path.appending(path: \.fewBelow), range: .integers(atLeast: 0),
        unset: "thirds of the classes by count",
        help: "Few-shot classes have fewer training images than this (give both thresholds or neither)."),
    ]
  }

  /// Problems between settings that each are valid on their own.
  public var problems: [String] {
    switch (manyAbove, fewBelow) {
    case (let many?, let few?) where few > many + 1:
      ["groups.few_below (\(few)) must not lie above groups.many_above + 1 (\(many + 1))"]
    case (.some, nil), (nil, .some): ["groups.many_above and groups.few_below must be given together"]
    default: []
    }
  }
}
