import Foundation
import Presentation

/// Loads the CIFAR-10 binary version: `data_batch_*.bin` (any number, read in natural order, so
/// `data_batch_2` before `data_batch_10`) form the training set and `test_batch.bin` the test set.
/// Each record is 1 label byte followed by 3072 pixel bytes (3 x 32 x 32, channel planes R, G, B);
/// a file may hold any number of records.
public enum CIFAR10Loader {
  /// Bytes per record: one label and a 3x32x32 image.
  public static let recordSize = 1 + imageSize
  /// Bytes per image.
  public static let imageSize = 3 * 32 * 32
  /// The number of CIFAR-10 classes.
  public static let classCount = 10

  /// Loads the training and test sets from `directory` (e.g. an unpacked `cifar-10-batches-bin`).
  ///
  /// - Throws: ``DataError/missingFile(path:alternatives:)`` when there is no `data_batch_*.bin` or no
  ///   `test_batch.bin`, ``DataError/badRecordSize(path:fileSize:recordSize:)``,
  ///   ``DataError/labelOutOfRange(path:index:label:classCount:)``, ``DataError/emptyDataset(name:)``.
  public static func load(directory: String) throws -> (train: ImageDataset, test: ImageDataset) {
    let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    let trainingFiles = try trainingFileNames(in: base).map { base + "/" + $0 }
    guard !trainingFiles.isEmpty else {
      throw DataError.missingFile(path: base + "/data_batch_*.bin")
    }
    let train = try loadFiles(trainingFiles, name: "cifar10/train")
    let test = try loadFiles([base + "/test_batch.bin"], name: "cifar10/test")
    return (train, test)
  }

  /// Loads and concatenates the records of `paths`, in the order given.
  public static func loadFiles(_ paths: [String], name: String) throws -> ImageDataset {
    var pixels = [UInt8]()
    var labels = [Int]()
    for path in paths {
      let raw = try ByteFile.readAll(path)
      guard raw.count % recordSize == 0 else {
        throw DataError.badRecordSize(path: path, fileSize: raw.count, recordSize: recordSize)
      }
      let records = raw.count / recordSize
      pixels.reserveCapacity(pixels.count + records * imageSize)
      labels.reserveCapacity(labels.count + records)
      try raw.withUnsafeBufferPointer { buffer in
        for record in 0..<records {
          let start = record * recordSize
          let label = Int(buffer[start])
          guard label < classCount else {
            throw DataError.labelOutOfRange(
              path: path, index: record, label: label, classCount: classCount)
          }
          labels.append(label)
          pixels.append(contentsOf: buffer[(start + 1)..<(start + recordSize)])
        }
      }
    }
    guard !labels.isEmpty else {
      throw DataError.emptyDataset(name: "\(name) (\(paths.joined(separator: ", ")))")
    }
    return try ImageDataset(
      name: name, channels: 3, height: 32, width: 32, pixels: pixels, labels: labels,
      classCount: classCount, normalization: .cifar10, trainingAugmentation: .cifar10)
  }

  /// The names of the `data_batch_*.bin` files in `directory`, in natural order.
  static func trainingFileNames(in directory: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw DataError.missingFile(path: directory)
    }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory)
    } catch {
      throw DataError.unreadableFile(path: directory, reason: Format.reason(error))
    }
    return
      names
      .filter { $0.hasPrefix("data_batch_") && $0.hasSuffix(".bin") }
      .sorted { lhs, rhs in
        let left = batchNumber(lhs)
        let right = batchNumber(rhs)
        if let left, let right, left != right { return left < right }
        if (left == nil) != (right == nil) { return left != nil }
        return lhs < rhs
      }
  }

  /// The number in `data_batch_<number>.bin`, if it is one.
  private static func batchNumber(_ name: String) -> Int? {
    Int(name.dropFirst("data_batch_".count).dropLast(".bin".count))
  }
}
