import Datasets
import Foundation
import Testing

@Suite struct IDXLoaderTests {
  /// Writes a small MNIST-format data set: 5 train images and 3 test images of 3x4 pixels.
  func writeSmallSet(
    in directory: TemporaryDirectory, gzip: (([UInt8], String) throws -> Void)? = nil
  ) throws -> (trainPixels: [UInt8], trainLabels: [UInt8]) {
    let trainPixels = (0..<5 * 12).map { UInt8($0 * 3 % 256) }
    let trainLabels: [UInt8] = [3, 0, 9, 1, 3]
    let testPixels = (0..<3 * 12).map { UInt8(255 - $0) }
    let testLabels: [UInt8] = [2, 2, 7]
    let files: [(String, [UInt8])] = [
      ("train-images-idx3-ubyte", idxBytes(dimensions: [5, 3, 4], data: trainPixels)),
      ("train-labels-idx1-ubyte", idxBytes(dimensions: [5], data: trainLabels)),
      ("t10k-images-idx3-ubyte", idxBytes(dimensions: [3, 3, 4], data: testPixels)),
      ("t10k-labels-idx1-ubyte", idxBytes(dimensions: [3], data: testLabels)),
    ]
    for (name, bytes) in files {
      if let gzip {
        try gzip(bytes, directory.file(name))
      } else {
        try writeBytes(bytes, to: directory.file(name))
      }
    }
    return (trainPixels, trainLabels)
  }

  func checkSmallSet(_ loaded: (train: ImageDataset, test: ImageDataset), pixels: [UInt8], labels: [UInt8]) {
    #expect(loaded.train.count == 5 && loaded.test.count == 3)
    #expect(loaded.train.channels == 1 && loaded.train.height == 3 && loaded.train.width == 4)
    #expect(loaded.train.pixels == pixels)
    #expect(loaded.train.labels == labels.map { Int($0) })
    #expect(loaded.test.labels == [2, 2, 7])
    #expect(loaded.train.imageSize == 12)
  }

  @Test func plainFiles() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let (pixels, labels) = try writeSmallSet(in: directory)
    let loaded = try IDXLoader.load(directory: directory.path, name: "small", normalization: .mnist)
    checkSmallSet(loaded, pixels: pixels, labels: labels)
    #expect(loaded.train.name == "small/train")
  }

  @Test func gzippedFilesWrittenByHand() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let (pixels, labels) = try writeSmallSet(in: directory) { bytes, path in
      try writeBytes(storedGzip(bytes), to: path + ".gz")
    }
    checkSmallSet(try IDXLoader.load(directory: directory.path), pixels: pixels, labels: labels)
  }

  @Test func gzippedFilesWrittenByGzip() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    var compressed = true
    let (pixels, labels) = try writeSmallSet(in: directory) { bytes, path in
      try writeBytes(bytes, to: path)
      compressed = try gzipWithTool(path) && compressed
    }
    try #require(compressed, "/usr/bin/gzip is needed for this test")
    #expect(!FileManager.default.fileExists(atPath: directory.file("train-images-idx3-ubyte")))
    checkSmallSet(try IDXLoader.load(directory: directory.path), pixels: pixels, labels: labels)
  }

  @Test func largeGzipStreamsAcrossManyChunksAndMembers() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    // 300 000 pseudo-random bytes: several stored blocks, several 64 KiB read chunks, two members.
    var generator = SplitMix64(seed: 4)
    let data = (0..<300_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    let bytes = idxBytes(dimensions: [300, 1000], data: data)
    let split = 123_457
    try writeBytes(
      storedGzip(Array(bytes[..<split])) + storedGzip(Array(bytes[split...])), to: directory.file("big.gz"))
    let parsed = try IDXLoader.read(path: directory.file("big.gz"))
    #expect(parsed.dimensions == [300, 1000])
    #expect(parsed.bytes == data)
  }

  @Test func missingFileNamesThePath() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let error = try #require(throws: DataError.self) { try IDXLoader.load(directory: directory.path) }
    let expectedPath = directory.file("train-images-idx3-ubyte.gz")
    #expect(error == .missingFile(path: expectedPath, alternatives: [directory.file("train-images-idx3-ubyte")]))
    #expect(error.description.contains(expectedPath))
    #expect(error.description.contains("missing"))
  }

  @Test func truncatedFile() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let path = directory.file("short")
    try writeBytes(idxBytes(dimensions: [2, 3, 4], data: Array(repeating: 1, count: 20)), to: path)
    let error = try #require(throws: DataError.self) { try IDXLoader.read(path: path) }
    #expect(error == .truncatedFile(path: path, expectedBytes: 24, actualBytes: 20))
    #expect(error.description.contains(path) && error.description.contains("truncated"))
    // A header cut short.
    try writeBytes([0, 0, 8, 3, 0, 0], to: path)
    #expect(throws: DataError.truncatedFile(path: path, expectedBytes: 16, actualBytes: 6)) {
      try IDXLoader.read(path: path)
    }
    // Too much data.
    try writeBytes(idxBytes(dimensions: [2], data: [1, 2, 3]), to: path)
    #expect(throws: DataError.trailingData(path: path, expectedBytes: 2, actualBytes: 3)) {
      try IDXLoader.read(path: path)
    }
  }

  @Test func badMagic() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let path = directory.file("magic")
    // A float IDX file (type 0x0D) and a random header.
    for header: [UInt8] in [[0, 0, 0x0D, 1], [0x1F, 0x8B, 0x08, 0x00], [0, 0, 8, 0]] {
      try writeBytes(header + [0, 0, 0, 1, 7], to: path)
      let error = try #require(throws: DataError.self) { try IDXLoader.read(path: path) }
      guard case .badMagic(let errorPath, let found, _) = error else {
        Issue.record("expected bad magic, got \(error)")
        continue
      }
      #expect(errorPath == path)
      #expect(found == UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3]))
      #expect(error.description.contains(path) && error.description.contains("magic"))
    }
  }

  @Test func corruptGzip() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    let path = directory.file("bad.gz")
    // Not gzip at all.
    try writeBytes(idxBytes(dimensions: [2], data: [1, 2]), to: path)
    var error = try #require(throws: DataError.self) { try IDXLoader.read(path: path) }
    guard case .corruptGzip(let errorPath, let message) = error else {
      Issue.record("expected corrupt gzip, got \(error)")
      return
    }
    #expect(errorPath == path && message == "incorrect header check")
    #expect(error.description.contains(path) && error.description.contains("incorrect header check"))
    // A valid stream cut short.
    let good = storedGzip(idxBytes(dimensions: [100], data: Array(repeating: 5, count: 100)))
    try writeBytes(Array(good.dropLast(30)), to: path)
    error = try #require(throws: DataError.self) { try IDXLoader.read(path: path) }
    #expect(error == .corruptGzip(path: path, message: "unexpected end of compressed data"))
    // A damaged checksum.
    var damaged = good
    damaged[damaged.count - 6] ^= 0xFF
    try writeBytes(damaged, to: path)
    error = try #require(throws: DataError.self) { try IDXLoader.read(path: path) }
    #expect(error == .corruptGzip(path: path, message: "incorrect data check"))
    // An empty file.
    try writeBytes([], to: path)
    #expect(throws: DataError.self) { try IDXLoader.read(path: path) }
  }

  @Test func mismatchedCountsAndBadLabels() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanUp() }
    _ = try writeSmallSet(in: directory)
    let labelsPath = directory.file("train-labels-idx1-ubyte")
    try writeBytes(idxBytes(dimensions: [4], data: [1, 2, 3, 4]), to: labelsPath)
    let error = try #require(throws: DataError.self) { try IDXLoader.load(directory: directory.path) }
    #expect(
      error
        == .dimensionMismatch(
          imagesPath: directory.file("train-images-idx3-ubyte"), imageCount: 5, labelsPath: labelsPath,
          labelCount: 4))
    try writeBytes(idxBytes(dimensions: [5], data: [1, 2, 10, 4, 0]), to: labelsPath)
    #expect(throws: DataError.labelOutOfRange(path: labelsPath, index: 2, label: 10, classCount: 10)) {
      try IDXLoader.load(directory: directory.path)
    }
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: IDXLoader.defaultFashionMNISTDirectory)))
  func realFashionMNIST() throws {
    let start = Date()
    let (train, test) = try IDXLoader.loadFashionMNIST()
    let seconds = Date().timeIntervalSince(start)
    #expect(train.count == 60000 && test.count == 10000)
    #expect(train.channels == 1 && train.height == 28 && train.width == 28)
    #expect(train.classCount == 10)
    #expect(train.classCounts() == Array(repeating: 6000, count: 10))
    #expect(test.classCounts() == Array(repeating: 1000, count: 10))
    #expect(train.labels[0] == 9 && test.labels[0] == 9)  // both start with an ankle boot
    #expect(train.normalization == .fashionMNIST && train.trainingAugmentation == .fashionMNIST)
    // The conventional statistics match the data.
    let measured = PixelStatistics.normalization(of: train.pixels, channels: 1, planeSize: 784)
    #expect(abs(measured.mean[0] - 0.2860) < 5e-4 && abs(measured.std[0] - 0.3530) < 5e-4)
    #expect(seconds < 10)
  }
}
