/// The data sets tailnas knows by name (the CLI's `--dataset` values), with their default locations.
public enum DatasetSource: String, CaseIterable, Codable, Sendable {
  /// Fashion-MNIST in IDX format (1x28x28, 10 classes).
  case fashionMNIST = "fashion-mnist"
  /// MNIST in IDX format (1x28x28, 10 classes).
  case mnist
  /// CIFAR-10, binary version (3x32x32, 10 classes).
  case cifar10
  /// The seeded ``SyntheticDataset`` (3x32x32, 10 classes, 1000 training and 200 test images per class).
  case synthetic

  /// The class names in label order.
  public var classNames: [String] {
    switch self {
    case .fashionMNIST:
      ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
    case .mnist, .synthetic: (0..<10).map(String.init)
    case .cifar10: ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    }
  }

  /// Where the data set is looked for when no directory is given (`nil` for the synthetic set).
  public var defaultDirectory: String? {
    switch self {
    case .fashionMNIST: IDXLoader.defaultFashionMNISTDirectory
    case .mnist: "/usr/share/datasets/mnist"
    case .cifar10: "/usr/share/datasets/cifar-10-batches-bin"
    case .synthetic: nil
    }
  }

  /// Loads the training and test sets.
  ///
  /// - Parameters:
  ///   - directory: the data directory; ``defaultDirectory`` when `nil`. Ignored for the synthetic set.
  ///   - seed: the seed of the synthetic set; ignored for real data.
  public func load(directory: String? = nil, seed: UInt64 = 0) throws -> (train: ImageDataset, test: ImageDataset) {
    switch self {
    case .fashionMNIST:
      try IDXLoader.loadFashionMNIST(directory: directory ?? IDXLoader.defaultFashionMNISTDirectory)
    case .mnist:
      try IDXLoader.load(
        directory: directory ?? defaultDirectory!, name: "mnist", classCount: 10, normalization: .mnist,
        trainingAugmentation: .mnist)
    case .cifar10:
      try CIFAR10Loader.load(directory: directory ?? defaultDirectory!)
    case .synthetic:
      SyntheticDataset.make(
        classes: 10, trainPerClass: 1000, testPerClass: 200, channels: 3, size: 32, seed: seed)
    }
  }
}
