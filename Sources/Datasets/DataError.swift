/// Everything that can go wrong while loading or preparing image data. Every message names the file
/// (or data set) and the problem, so that it can be shown to the user as is.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A required file does not exist. `alternatives` lists other names that were tried.
  case missingFile(path: String, alternatives: [String] = [])
  /// A file exists but could not be opened or read (`reason` is the system error text).
  case unreadableFile(path: String, reason: String)
  /// A file ends before all the data its header promises.
  case truncatedFile(path: String, expectedBytes: Int, actualBytes: Int)
  /// A file holds more bytes than its header describes.
  case trailingData(path: String, expectedBytes: Int, actualBytes: Int)
  /// An IDX file does not start with a recognised magic number.
  case badMagic(path: String, found: UInt32, expected: String)
  /// An images file and its labels file disagree on the number of items.
  case dimensionMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
  /// A label is not in `0 ..< classCount`.
  case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int)
  /// A gzip stream could not be decompressed; `message` is zlib's error text.
  case corruptGzip(path: String, message: String)
  /// A CIFAR binary file whose size is not a whole number of records.
  case badRecordSize(path: String, fileSize: Int, recordSize: Int)
  /// A data set (or a data set file) with no images.
  case emptyDataset(name: String)
  /// A data set whose shape description does not fit its contents.
  case invalidDataset(name: String, reason: String)
  /// A long-tailed subset asks for more images of a class than the source holds.
  case notEnoughImages(classIndex: Int, requested: Int, available: Int)
  /// A saved sampler state does not belong to the sampler it is restored into.
  case invalidSamplerState(reason: String)

  /// A human-readable explanation that names the file and the problem.
  public var description: String {
    switch self {
    case .missingFile(let path, let alternatives):
      if alternatives.isEmpty {
        return "missing file: \(path)"
      }
      return "missing file: \(path) (also tried \(alternatives.joined(separator: ", ")))"
    case .unreadableFile(let path, let reason):
      return "cannot read \(path): \(reason)"
    case .truncatedFile(let path, let expected, let actual):
      return "truncated file: \(path) holds \(actual) bytes of data, its header promises \(expected)"
    case .trailingData(let path, let expected, let actual):
      return "unexpected trailing data in \(path): \(actual) bytes of data, its header describes \(expected)"
    case .badMagic(let path, let found, let expected):
      let hex = String(found, radix: 16, uppercase: false)
      let padded = String(repeating: "0", count: max(0, 8 - hex.count)) + hex
      return "bad magic number in \(path): found 0x\(padded), expected \(expected)"
    case .dimensionMismatch(let imagesPath, let imageCount, let labelsPath, let labelCount):
      return "dimension mismatch: \(imagesPath) holds \(imageCount) images but \(labelsPath) holds \(labelCount) labels"
    case .labelOutOfRange(let path, let index, let label, let classCount):
      return "label out of range in \(path): item \(index) has label \(label), expected 0..<\(classCount)"
    case .corruptGzip(let path, let message):
      return "corrupt gzip data in \(path): \(message)"
    case .badRecordSize(let path, let fileSize, let recordSize):
      return "bad file size: \(path) has \(fileSize) bytes, not a multiple of the \(recordSize)-byte record size"
    case .emptyDataset(let name):
      return "empty data set: \(name) holds no images"
    case .invalidDataset(let name, let reason):
      return "invalid data set \(name): \(reason)"
    case .notEnoughImages(let classIndex, let requested, let available):
      return "not enough images: class \(classIndex) has \(available), the long-tailed subset asks for \(requested)"
    case .invalidSamplerState(let reason):
      return "invalid sampler state: \(reason)"
    }
  }
}
