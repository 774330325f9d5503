import CZlib
import Foundation

/// A problem reading a safetensors file.
public struct SafeTensorsError: Error, CustomStringConvertible, Sendable {
  /// What went wrong, naming the file.
  public let description: String
}

/// One tensor's raw values in a safetensors file.
public enum SafeTensorValue: Sendable {
  case float32(shape: [Int], values: [Float])
  case int64(shape: [Int], values: [Int64])

  /// The shape.
  public var shape: [Int] {
    switch self {
    case .float32(let shape, _), .int64(let shape, _): shape
    }
  }
}

/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping names to
/// `{dtype, shape, data_offsets}` (plus an optional `__metadata__` string map), then the raw little-endian
/// data. Used for fixtures and checkpoints.
public struct SafeTensors: Sendable {
  /// Tensors by name.
  public var tensors: [String: SafeTensorValue]
  /// The `__metadata__` map.
  public var metadata: [String: String]

  /// An empty file.
  public init(tensors: [String: SafeTensorValue] = [:], metadata: [String: String] = [:]) {
    self.tensors = tensors
    self.metadata = metadata
  }

  /// Reads and validates a file.
  public init(contentsOf url: URL) throws {
    let bytes: Data
    do {
      bytes = try Data(contentsOf: url)
    } catch {
      throw SafeTensorsError(description: "\(url.path): cannot read: \(error.localizedDescription)")
    }
    try self.init(bytes: bytes, name: url.path)
  }

  /// Parses the bytes of a file; `name` appears in error messages.
  public init(bytes: Data, name: String = "safetensors") throws {
    func fail(_ message: String) -> SafeTensorsError {
      SafeTensorsError(description: "\(name): \(message)")
    }
    guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes, shorter than the 8-byte header length") }
    let headerLength = bytes.prefix(8).enumerated().reduce(UInt64(0)) {
      $0 | UInt64($1.element) << (8 * UInt64($1.offset))
    }
    guard headerLength <= UInt64(bytes.count - 8) else {
      throw fail("header length \(headerLength) exceeds the file size \(bytes.count)")
    }
    let headerStart = bytes.startIndex + 8
    let dataStart = headerStart + Int(headerLength)
    let header = bytes[headerStart..<dataStart]
    guard let json = try? JSONSerialization.jsonObject(with: header), let object = json as? [String: Any] else {
      throw fail("header is not a JSON object")
    }
    let payload = bytes[dataStart...]
    var tensors: [String: SafeTensorValue] = [:]
    var metadata: [String: String] = [:]
    for (key, value) in object {
      if key == "__metadata__" {
        guard let map = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
        for (k, v) in map where k != Self.checksumName {
          guard let s = v as? String else { throw fail("__metadata__.\(k) is not a string") }
          metadata[k] = s
        }
        continue
      }
      guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
        let shapeValues = entry["shape"] as? [Any], let offsets = entry["data_offsets"] as? [Any], offsets.count == 2
      else { throw fail("tensor '\(key)' lacks dtype, shape or data_offsets") }
      let shape = try shapeValues.map { v -> Int in
        guard let n = (v as? NSNumber)?.intValue, n >= 0 else { throw fail("tensor '\(key)' has a bad shape") }
        return n
      }
      guard let begin = (offsets[0] as? NSNumber)?.intValue, let end = (offsets[1] as? NSNumber)?.intValue,
        begin >= 0, begin <= end, end <= payload.count
      else { throw fail("tensor '\(key)' has data offsets outside the \(payload.count)-byte data section") }
      let count = shape.reduce(1, *)
      let slice = payload[(payload.startIndex + begin)..<(payload.startIndex + end)]
      switch dtype {
      case "F32":
        guard end - begin == count * 4 else {
          throw fail("tensor '\(key)' has \(end - begin) bytes, expected \(count * 4) for F32 \(shape)")
        }
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
          slice.withUnsafeBytes { raw in
            for i in 0..<count {
              buffer[i] = Float(
                bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
          }
          initialized = count
        }
        tensors[key] = .float32(shape: shape, values: values)
      case "I64":
        guard end - begin == count * 8 else {
          throw fail("tensor '\(key)' has \(end - begin) bytes, expected \(count * 8) for I64 \(shape)")
        }
        let values = slice.withUnsafeBytes { raw in
          (0..<count).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self)) }
        }
        tensors[key] = .int64(shape: shape, values: values)
      default:
        throw fail("tensor '\(key)' has unsupported dtype \(dtype) (F32 and I64 are supported)")
      }
    }
    // Last, so a structural problem gets its specific message.
    if let range = header.range(of: Data(Self.checksumKey.utf8)) {
      // The checksum covers the header (with the checksum's digits zeroed) and the data.
      let digitsStart = range.upperBound
      guard digitsStart + 8 < dataStart,
        let stored = UInt32(String(decoding: header[digitsStart..<(digitsStart + 8)], as: UTF8.self), radix: 16)
      else { throw fail("the checksum in the header is malformed") }
      var zeroed = Data(header)
      zeroed.replaceSubrange(
        (digitsStart - header.startIndex)..<(digitsStart - header.startIndex + 8), with: Data("00000000".utf8))
      let computed = Self.crc32(payload, continuing: Self.crc32(zeroed))
      guard computed == stored else {
        throw fail(
          "the file is damaged: its checksum is \(Self.hex(stored)) but its contents give \(Self.hex(computed))")
      }
    }
    self.tensors = tensors
    self.metadata = metadata
  }

  /// The float tensor called `name`, as an engine tensor.
  public func tensor(_ name: String) throws -> Tensor {
    guard let value = tensors[name] else { throw SafeTensorsError(description: "no tensor named '\(name)'") }
    switch value {
    case .float32(let shape, let values): return Tensor(shape: shape, values: values)
    case .int64(let shape, let values): return Tensor(shape: shape, values: values.map(Float.init))
    }
  }

  /// The int64 tensor called `name`, as integers.
  public func integers(_ name: String) throws -> [Int] {
    guard let value = tensors[name] else { throw SafeTensorsError(description: "no tensor named '\(name)'") }
    switch value {
    case .int64(_, let values): return values.map(Int.init)
    case .float32(_, let values): return values.map { Int($0) }
    }
  }

  /// Stores a float tensor.
  public mutating func set(_ name: String, _ tensor: Tensor) {
    tensors[name] = .float32(shape: tensor.shape, values: tensor.scalars)
  }

  /// The metadata key of the checksum `serialized()` writes and reading verifies.
  static let checksumName = "checksum"
  /// What precedes the checksum's eight hex digits in the header.
  static let checksumKey = "\"\(checksumName)\":\"crc32:"

  /// CRC-32 (zlib's, the polynomial of gzip and PNG) of `data`, continuing from `crc`.
  static func crc32(_ data: Data, continuing crc: UInt32 = 0) -> UInt32 {
    data.withUnsafeBytes { raw in
      var value = UInt(crc)
      var offset = 0
      // zlib takes at most UInt32.max bytes a call.
      while offset < raw.count {
        let count = min(raw.count - offset, Int(UInt32.max))
        value = CZlib.crc32(
          value, raw.baseAddress!.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(count))
        offset += count
      }
      return UInt32(truncatingIfNeeded: value)
    }
  }

  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// The serialised file: header padded with spaces to a multiple of 8 bytes, as the reference writer. The
  /// metadata carries `checksum` = `crc32:XXXXXXXX`, the CRC-32 of the whole file with those eight digits read
  /// as zeros, so reading finds a truncated, torn or flipped file (other safetensors readers ignore it).
  public func serialized() -> Data {
    var header = "{"
    var parts: [String] = []
    var entries = metadata.keys.sorted().filter { $0 != Self.checksumName }.map {
      "\(jsonString($0)):\(jsonString(metadata[$0]!))"
    }
    entries.insert(Self.checksumKey + "00000000\"", at: 0)
    parts.append("\"__metadata__\":{\(entries.joined(separator: ","))}")
    var offset = 0
    let names = tensors.keys.sorted()
    for name in names {
      let value = tensors[name]!
      let (dtype, size) =
        switch value {
        case .float32(let shape, _): ("F32", shape.reduce(1, *) * 4)
        case .int64(let shape, _): ("I64", shape.reduce(1, *) * 8)
        }
      let shape = value.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}"
      )
      offset += size
    }
    header += parts.joined(separator: ",") + "}"
    while (header.utf8.count % 8) != 0 { header += " " }
    var out = Data(capacity: 8 + header.utf8.count + offset)
    withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out.append(contentsOf: $0) }
    let headerStart = out.count
    out.append(contentsOf: Array(header.utf8))
    let dataStart = out.count
    for name in names {
      switch tensors[name]! {
      case .float32(_, let values):
        values.withUnsafeBufferPointer { b in
          b.withMemoryRebound(to: UInt32.self) { u in
            let le = u.map { $0.littleEndian }
            le.withUnsafeBytes { out.append(contentsOf: $0) }
          }
        }
      case .int64(_, let values):
        let le = values.map { $0.littleEndian }
        le.withUnsafeBytes { out.append(contentsOf: $0) }
      }
    }
    let crc = Self.crc32(out[dataStart...], continuing: Self.crc32(out[headerStart..<dataStart]))
    let digits = out[headerStart..<dataStart].range(of: Data(Self.checksumKey.utf8))!.upperBound
    out.replaceSubrange(digits..<(digits + 8), with: Data(Self.hex(crc).utf8))
    return out
  }

  /// Writes the file atomically: a temporary file in the same directory, flushed, then renamed.
  public func write(to url: URL) throws {
    try serialized().write(to: url, options: .atomic)
  }
}

private func jsonString(_ s: String) -> String {
  let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
  let text = String(decoding: data, as: UTF8.self)
  return String(text.dropFirst().dropLast())
}
