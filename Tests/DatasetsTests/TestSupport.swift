import Datasets
import Foundation

/// A fresh temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "/datatests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  func cleanUp() {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// Writes `bytes` to `path` (creating or truncating it).
func writeBytes(_ bytes: [UInt8], to path: String) throws {
  guard let file = fopen(path, "wb") else {
    throw DataError.unreadableFile(path: path, reason: "cannot create")
  }
  defer { fclose(file) }
  let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
  guard written == bytes.count else {
    throw DataError.unreadableFile(path: path, reason: "short write")
  }
}

/// The bytes of an unsigned-byte IDX file with the given dimensions and data.
func idxBytes(dimensions: [Int], data: [UInt8]) -> [UInt8] {
  var bytes: [UInt8] = [0, 0, 0x08, UInt8(dimensions.count)]
  for size in dimensions {
    bytes += [UInt8(size >> 24 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)]
  }
  return bytes + data
}

/// CRC-32 (IEEE), as in the gzip trailer.
func crc32(_ bytes: [UInt8]) -> UInt32 {
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in bytes {
    crc ^= UInt32(byte)
    for _ in 0..<8 {
      crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
    }
  }
  return ~crc
}

/// A valid gzip file whose deflate stream uses stored (uncompressed) blocks — written by hand so the
/// tests do not depend on an external compressor.
func storedGzip(_ payload: [UInt8]) -> [UInt8] {
  var out: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
  var offset = 0
  repeat {
    let length = min(65535, payload.count - offset)
    let final: UInt8 = offset + length == payload.count ? 1 : 0
    out.append(final)  // BFINAL, BTYPE = 00 (stored)
    out += [UInt8(length & 0xFF), UInt8(length >> 8)]
    out += [UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
    out += payload[offset..<offset + length]
    offset += length
  } while offset < payload.count
  let crc = crc32(payload)
  let size = UInt32(truncatingIfNeeded: payload.count)
  for word in [crc, size] {
    out += [UInt8(word & 0xFF), UInt8(word >> 8 & 0xFF), UInt8(word >> 16 & 0xFF), UInt8(word >> 24)]
  }
  return out
}

/// Compresses `path` in place with `/usr/bin/gzip` (producing `path.gz`); false if gzip is unavailable.
func gzipWithTool(_ path: String) throws -> Bool {
  guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gzip") else { return false }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
  process.arguments = ["-9", "-f", path]
  try process.run()
  process.waitUntilExit()
  return process.terminationStatus == 0
}

/// Pearson's chi-square statistic of observed counts against expected probabilities.
func chiSquare(observed: [Int], probabilities: [Double]) -> Double {
  let total = Double(observed.reduce(0, +))
  var statistic = 0.0
  for (count, probability) in zip(observed, probabilities) where probability > 0 {
    let expected = total * probability
    statistic += (Double(count) - expected) * (Double(count) - expected) / expected
  }
  return statistic
}

/// The 0.999 quantile of the chi-square distribution with 9 degrees of freedom.
let chiSquare999With9DegreesOfFreedom = 27.877

/// A data set of `count` tiny images with the given labels (pixels are the image index, mod 256).
func tinyDataset(labels: [Int], classCount: Int, side: Int = 2) throws -> ImageDataset {
  let imageSize = side * side
  var pixels = [UInt8]()
  for index in labels.indices {
    pixels += Array(repeating: UInt8(index % 256), count: imageSize)
  }
  return try ImageDataset(
    name: "tiny", channels: 1, height: side, width: side, pixels: pixels, labels: labels,
    classCount: classCount, normalization: Normalization(mean: [0], std: [1]))
}
