/// A labelled set of images, stored compactly as raw bytes in NCHW order (image-major, then channel
/// planes, then rows). Pixels become normalised `Float`s only when a batch is written, see
/// ``fillBatch(indices:into:augmentation:generator:)``.
public struct ImageDataset: Sendable {
  /// A short name used in messages and reports, e.g. `"fashion-mnist/train"`.
  public var name: String
  /// Channels per image.
  public let channels: Int
  /// Image height in pixels.
  public let height: Int
  /// Image width in pixels.
  public let width: Int
  /// Raw pixels, `count * imageSize` bytes, NCHW.
  public let pixels: [UInt8]
  /// The label of each image, in `0 ..< classCount`.
  public let labels: [Int]
  /// The number of classes (labels range over `0 ..< classCount`; a class may be empty).
  public let classCount: Int
  /// How raw pixels are mapped to network input.
  public var normalization: Normalization {
    didSet { normalizedValues = normalization.lookupTable }
  }
  /// ``normalization`` as a lookup table, `normalizedValues[channel * 256 + pixel]`.
  private(set) var normalizedValues: [Float]
  /// The augmentation this data set conventionally trains with (``Augmentation/none`` for test sets is
  /// the caller's choice; this is the training preset).
  public var trainingAugmentation: Augmentation

  /// Creates a data set, checking that the pieces fit together.
  ///
  /// - Throws: ``DataError/emptyDataset(name:)`` when there are no images,
  ///   ``DataError/invalidDataset(name:reason:)`` when the shape, pixel count or normalisation do not
  ///   fit, ``DataError/labelOutOfRange(path:index:label:classCount:)`` for a bad label.
  public init(
    name: String, channels: Int, height: Int, width: Int, pixels: [UInt8], labels: [Int],
    classCount: Int, normalization: Normalization, trainingAugmentation: Augmentation = .none
  ) throws {
    guard channels > 0, height > 0, width > 0, classCount > 0 else {
      throw DataError.invalidDataset(
        name: name,
        reason: "shape \(channels)x\(height)x\(width) with \(classCount) classes is not positive")
    }
    guard !labels.isEmpty else { throw DataError.emptyDataset(name: name) }
    let imageSize = channels * height * width
    guard pixels.count == labels.count * imageSize else {
      throw DataError.invalidDataset(
        name: name,
        reason: "\(pixels.count) pixel bytes for \(labels.count) images of \(imageSize) bytes each")
    }
    guard normalization.channels == channels else {
      throw DataError.invalidDataset(
        name: name,
        reason: "normalisation has \(normalization.channels) channels, images have \(channels)")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
      throw DataError.labelOutOfRange(path: name, index: bad, label: labels[bad], classCount: classCount)
    }
    self.name = name
    self.channels = channels
    self.height = height
    self.width = width
    self.pixels = pixels
    self.labels = labels
    self.classCount = classCount
    self.normalization = normalization
    self.normalizedValues = normalization.lookupTable
    self.trainingAugmentation = trainingAugmentation
  }

  /// The number of images.
  public var count: Int { labels.count }

  /// Values per image: `channels * height * width`.
  public var imageSize: Int { channels * height * width }

  /// The raw bytes of image `index` (NCHW planes).
  public func image(at index: Int) -> ArraySlice<UInt8> {
    pixels[index * imageSize..<(index + 1) * imageSize]
  }

  /// The number of images of each class, over the whole set or over `indices` only.
  public func classCounts(of indices: [Int]? = nil) -> [Int] {
    var counts = Array(repeating: 0, count: classCount)
    if let indices {
      for index in indices { counts[labels[index]] += 1 }
    } else {
      for label in labels { counts[label] += 1 }
    }
    return counts
  }

  /// The image indices of each class: over the whole set in ascending order, or over `indices` in the
  /// order they appear there.
  public func indicesByClass(of indices: [Int]? = nil) -> [[Int]] {
    var byClass = Array(repeating: [Int](), count: classCount)
    for index in indices ?? Array(0..<count) {
      byClass[labels[index]].append(index)
    }
    return byClass
  }

  /// The labels of `indices`, in the same order (the targets that go with a batch).
  public func labels(of indices: [Int]) -> [Int] {
    indices.map { labels[$0] }
  }
}
