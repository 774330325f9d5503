import Datasets
import Testing

@Suite struct CIFAR10LoaderTests {
  /// `count` records whose labels are `(first + r) % 10` and whose pixels encode the record.
  func records(count: Int, first: Int) -> (bytes: [UInt8], labels: [Int], pixels: [UInt8]) {
    var bytes = [UInt8]()
    var labels = [Int]()
    var pixels = [UInt8]()
    for record in 0..<count {
      let label = (first + record) % 10
      let image = (0..<3072).map { UInt8(truncatingIfNeeded: $0 / 1024 * 80 + first + record + $0 % 7) }
      bytes.append(UInt8(label))
      bytes += image
      labels.append(label)
      pixels += image
    }
    return (bytes, labels, pixels)
  }

  @Test func loadsBatchesInNaturalOrder() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let one = records(count: 3, first: 0)
    let two = records(count: 5, first: 3)
    let ten = records(count: 1, first: 8)
    let test = records(count: 7, first: 4)
    // data_batch_10 must come after data_batch_2 although it sorts before it as text.
    try writeBytes(ten.bytes, to: directory.file("data_batch_10.bin"))
    try writeBytes(two.bytes, to: directory.file("data_batch_2.bin"))
    try writeBytes(one.bytes, to: directory.file("data_batch_1.bin"))
    try writeBytes(test.bytes, to: directory.file("test_batch.bin"))
    try writeBytes([1, 2, 3], to: directory.file("batches.meta.txt"))

    let loaded = try CIFAR10Loader.load(directory: directory.path)
    #expect(loaded.train.count == 9 && loaded.test.count == 7)
    #expect(loaded.train.labels == one.labels + two.labels + ten.labels)
    #expect(loaded.train.pixels == one.pixels + two.pixels + ten.pixels)
    #expect(loaded.test.labels == test.labels && loaded.test.pixels == test.pixels)
    #expect(loaded.train.channels == 3 && loaded.train.height == 32 && loaded.train.width == 32)
    #expect(loaded.train.normalization == .cifar10 && loaded.train.trainingAugmentation == .cifar10)
    // Channel planes: the first 1024 bytes of an image are red.
    #expect(Array(loaded.train.image(at: 4).prefix(3)) == Array(two.pixels[3072..<3075]))
  }

  @Test func sizeNotAMultipleOfTheRecord() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    try writeBytes(records(count: 2, first: 0).bytes, to: directory.file("data_batch_1.bin"))
    try writeBytes(Array(records(count: 2, first: 0).bytes.dropLast(100)), to: directory.file("test_batch.bin"))
    let error = try #require(throws: DataError.self) { try CIFAR10Loader.load(directory: directory.path) }
    let path = directory.file("test_batch.bin")
    #expect(error == .badRecordSize(path: path, fileSize: 2 * 3073 - 100, recordSize: 3073))
    #expect(error.description.contains(path) && error.description.contains("3073"))
  }

  @Test func missingFilesAndBadLabels() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    var error = try #require(throws: DataError.self) { try CIFAR10Loader.load(directory: directory.path) }
    #expect(error.description.contains(directory.path + "/data_batch_*.bin"))
    try writeBytes(records(count: 1, first: 0).bytes, to: directory.file("data_batch_1.bin"))
    error = try #require(throws: DataError.self) { try CIFAR10Loader.load(directory: directory.path) }
    #expect(error == .missingFile(path: directory.file("test_batch.bin")))
    var bad = records(count: 2, first: 0).bytes
    bad[3073] = 10
    try writeBytes(bad, to: directory.file("test_batch.bin"))
    #expect(
      throws: DataError.labelOutOfRange(path: directory.file("test_batch.bin"), index: 1, label: 10, classCount: 10)
    ) { try CIFAR10Loader.load(directory: directory.path) }
    try writeBytes([], to: directory.file("test_batch.bin"))
    error = try #require(throws: DataError.self) { try CIFAR10Loader.load(directory: directory.path) }
    guard case .emptyDataset = error else {
      Issue.record("expected an empty data set error, got \(error)")
      return
    }
    #expect(throws: DataError.missingFile(path: directory.file("nowhere"))) {
      try CIFAR10Loader.load(directory: directory.file("nowhere"))
    }
  }
}
