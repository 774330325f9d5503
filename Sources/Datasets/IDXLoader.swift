/// Loads data sets in the IDX format of MNIST and Fashion-MNIST: `train-images-idx3-ubyte`,
/// `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each either gzipped
/// (`.gz`, preferred when both exist) or plain.
public enum IDXLoader {
  /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
  public static let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

  /// A parsed IDX file of unsigned bytes: its dimensions and its data.
  public struct Contents: Sendable, Equatable {
    /// The dimension sizes from the header, outermost first (e.g. `[60000, 28, 28]`).
    public var dimensions: [Int]
    /// The data, `dimensions.reduce(1, *)` bytes.
    public var bytes: [UInt8]
  }

  /// Loads Fashion-MNIST (1x28x28, 10 classes) with its conventional normalisation and augmentation.
  public static func loadFashionMNIST(
    directory: String = defaultFashionMNISTDirectory
  ) throws -> (train: ImageDataset, test: ImageDataset) {
    try load(
      directory: directory, name: "fashion-mnist", classCount: 10,
      normalization: .fashionMNIST, trainingAugmentation: .fashionMNIST)
  }

  /// Loads an MNIST-format data set from `directory`.
  ///
  /// Images may be 3-dimensional (`N x H x W`, one channel) or 4-dimensional (`N x C x H x W`).
  /// - Parameters:
  ///   - directory: the directory holding the four files.
  ///   - name: the data set name; the parts are called `"<name>/train"` and `"<name>/test"`.
  ///   - classCount: labels must lie in `0 ..< classCount`.
  ///   - normalization: per-channel statistics; `nil` uses the mean and standard deviation of the
  ///     training images.
  ///   - trainingAugmentation: stored with the data sets as their training preset.
  public static func load(
    directory: String, name: String = "mnist", classCount: Int = 10,
    normalization: Normalization? = nil, trainingAugmentation: Augmentation = .mnist
  ) throws -> (train: ImageDataset, test: ImageDataset) {
    let train = try loadPart(
      directory: directory, prefix: "train", name: "\(name)/train", classCount: classCount,
      normalization: normalization, trainingAugmentation: trainingAugmentation)
    var test = try loadPart(
      directory: directory, prefix: "t10k", name: "\(name)/test", classCount: classCount,
      normalization: train.normalization, trainingAugmentation: trainingAugmentation)
    guard test.channels == train.channels, test.height == train.height, test.width == train.width
    else {
      throw DataError.invalidDataset(
        name: test.name,
        reason: "test images are \(test.channels)x\(test.height)x\(test.width), "
          + "training images \(train.channels)x\(train.height)x\(train.width)")
    }
    test.normalization = train.normalization
    return (train, test)
  }

  /// Loads one images/labels pair, e.g. `prefix` `"train"` reads `train-images-idx3-ubyte[.gz]` and
  /// `train-labels-idx1-ubyte[.gz]`.
  public static func loadPart(
    directory: String, prefix: String, name: String, classCount: Int,
    normalization: Normalization?, trainingAugmentation: Augmentation = .none
  ) throws -> ImageDataset {
    let imagesPath = try resolve(directory: directory, fileName: "\(prefix)-images-idx3-ubyte")
    let labelsPath = try resolve(directory: directory, fileName: "\(prefix)-labels-idx1-ubyte")
    let images = try read(path: imagesPath)
    let labels = try read(path: labelsPath)
    guard images.dimensions.count == 3 || images.dimensions.count == 4 else {
      throw DataError.invalidDataset(
        name: imagesPath,
        reason: "images need 3 (N, H, W) or 4 (N, C, H, W) dimensions, found \(images.dimensions)")
    }
    guard labels.dimensions.count == 1 else {
      throw DataError.invalidDataset(
        name: labelsPath, reason: "labels need 1 dimension, found \(labels.dimensions)")
    }
    let imageCount = images.dimensions[0]
    guard imageCount == labels.dimensions[0] else {
      throw DataError.dimensionMismatch(
        imagesPath: imagesPath, imageCount: imageCount, labelsPath: labelsPath,
        labelCount: labels.dimensions[0])
    }
    guard imageCount > 0 else { throw DataError.emptyDataset(name: imagesPath) }
    if let bad = labels.bytes.firstIndex(where: { Int($0) >= classCount }) {
      throw DataError.labelOutOfRange(
        path: labelsPath, index: bad, label: Int(labels.bytes[bad]), classCount: classCount)
    }
    let shape =
      images.dimensions.count == 4
      ? Array(images.dimensions[1...]) : [1] + images.dimensions[1...]
    let channels = shape[0]
    return try ImageDataset(
      name: name, channels: channels, height: shape[1], width: shape[2], pixels: images.bytes,
      labels: labels.bytes.map { Int($0) }, classCount: classCount,
      normalization: normalization
        ?? PixelStatistics.normalization(
          of: images.bytes, channels: channels, planeSize: shape[1] * shape[2]),
      trainingAugmentation: trainingAugmentation)
  }

  /// Reads and validates one IDX file of unsigned bytes, gzipped when `path` ends in `.gz`.
  ///
  /// - Throws: ``DataError/missingFile(path:alternatives:)``, ``DataError/corruptGzip(path:message:)``,
  ///   ``DataError/badMagic(path:found:expected:)``, ``DataError/truncatedFile(path:expectedBytes:actualBytes:)``,
  ///   ``DataError/trailingData(path:expectedBytes:actualBytes:)``.
  public static func read(path: String) throws -> IDXLoader.Contents {
    let raw = path.hasSuffix(".gz") ? try GzipReader.readAll(path) : try ByteFile.readAll(path)
    return try parse(raw, path: path)
  }

  /// Parses the bytes of an IDX file (`path` is only used in error messages).
  public static func parse(_ raw: [UInt8], path: String) throws -> IDXLoader.Contents {
    guard raw.count >= 4 else {
      throw DataError.truncatedFile(path: path, expectedBytes: 4, actualBytes: raw.count)
    }
    let magic = bigEndianWord(raw, at: 0)
    let dimensionCount = Int(raw[3])
    // 0x00 0x00, type 0x08 (unsigned byte), 1...4 dimensions.
    guard raw[0] == 0, raw[1] == 0, raw[2] == 0x08, (1...4).contains(dimensionCount) else {
      throw DataError.badMagic(
        path: path, found: magic, expected: "0x0000080N (unsigned-byte IDX, N = 1...4 dimensions)")
    }
    let headerSize = 4 + 4 * dimensionCount
    guard raw.count >= headerSize else {
      throw DataError.truncatedFile(path: path, expectedBytes: headerSize, actualBytes: raw.count)
    }
    let dimensions = (0..<dimensionCount).map { Int(bigEndianWord(raw, at: 4 + 4 * $0)) }
    let (payload, overflow) = dimensions.reduce((1, false)) { partial, size in
      let product = partial.0.multipliedReportingOverflow(by: size)
      return (product.partialValue, partial.1 || product.overflow)
    }
    guard !overflow else {
      throw DataError.invalidDataset(name: path, reason: "dimensions \(dimensions) are too large")
    }
    let available = raw.count - headerSize
    if available < payload {
      throw DataError.truncatedFile(path: path, expectedBytes: payload, actualBytes: available)
    }
    if available > payload {
      throw DataError.trailingData(path: path, expectedBytes: payload, actualBytes: available)
    }
    return IDXLoader.Contents(dimensions: dimensions, bytes: Array(raw[headerSize...]))
  }

  /// `directory/fileName.gz` if it exists, else `directory/fileName`, else a missing-file error naming both.
  static func resolve(directory: String, fileName: String) throws -> String {
    let base = directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
    let gzipped = base + ".gz"
    if ByteFile.exists(gzipped) { return gzipped }
    if ByteFile.exists(base) { return base }
    throw DataError.missingFile(path: gzipped, alternatives: [base])
  }

  private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
      | UInt32(bytes[offset + 3])
  }
}
