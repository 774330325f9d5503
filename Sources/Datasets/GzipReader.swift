import CZlib
import Foundation

/// Streaming gzip decompression with zlib (`inflateInit2` with `16 + MAX_WBITS`, i.e. gzip framing).
/// Concatenated gzip members are decoded one after another, as `gzip -d` does.
enum GzipReader {
  /// Reads and decompresses the gzip file at `path`.
  ///
  /// - Throws: ``DataError/missingFile(path:alternatives:)``, ``DataError/unreadableFile(path:reason:)``,
  ///   or ``DataError/corruptGzip(path:message:)`` with zlib's message (or "unexpected end of
  ///   compressed data" for a truncated stream).
  static func readAll(_ path: String) throws -> [UInt8] {
    let file = try ByteFile.open(path)
    defer { fclose(file) }
    let compressedSize = try ByteFile.size(of: file, path: path)

    // zlib keeps a back pointer to the z_stream, so it lives at a fixed heap address.
    let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    stream.initialize(to: z_stream())
    defer { stream.deallocate() }
    let status = inflateInit2_(
      stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      throw DataError.corruptGzip(path: path, message: zlibMessage(stream.pointee, status: status))
    }
    defer { inflateEnd(stream) }

    let chunkSize = 1 << 16
    let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
    defer { input.deallocate() }
    // Size the output by the trailer's ISIZE (the uncompressed size mod 2^32), bounded by deflate's
    // maximal ratio so that a corrupt trailer cannot ask for absurd memory; it grows if needed.
    let hint = try uncompressedSizeHint(file, compressedSize: compressedSize, path: path)
    var output = [UInt8](repeating: 0, count: max(min(hint, 1032 * compressedSize), chunkSize))
    var produced = 0
    var inputExhausted = false
    var streamEnded = false
    var memberStarted = false

    while true {
      if stream.pointee.avail_in == 0 && !inputExhausted {
        let got = try ByteFile.read(file, into: input, capacity: chunkSize, path: path)
        if got == 0 {
          inputExhausted = true
        } else {
          stream.pointee.next_in = input
          stream.pointee.avail_in = UInt32(got)
        }
      }
      if streamEnded {
        // A further gzip member may follow; anything else after the end is an error only if it is not
        // empty input.
        if stream.pointee.avail_in == 0 && inputExhausted { break }
        guard inflateReset(stream) == Z_OK else {
          throw DataError.corruptGzip(path: path, message: "cannot reset the decompressor")
        }
        streamEnded = false
        memberStarted = false
        continue
      }
      if stream.pointee.avail_in == 0 && inputExhausted {
        if memberStarted || produced == 0 {
          throw DataError.corruptGzip(path: path, message: "unexpected end of compressed data")
        }
        break
      }
      if produced == output.count {
        output.append(contentsOf: repeatElement(0, count: output.count))
      }
      let before = stream.pointee.total_out
      let result = output.withUnsafeMutableBufferPointer { buffer -> Int32 in
        stream.pointee.next_out = buffer.baseAddress! + produced
        stream.pointee.avail_out = UInt32(min(buffer.count - produced, Int(UInt32.max)))
        return inflate(stream, Z_NO_FLUSH)
      }
      produced += Int(stream.pointee.total_out - before)
      memberStarted = true
      switch result {
      case Z_OK, Z_BUF_ERROR:
        continue
      case Z_STREAM_END:
        streamEnded = true
      default:
        throw DataError.corruptGzip(path: path, message: zlibMessage(stream.pointee, status: result))
      }
    }
    output.removeSubrange(produced...)
    return output
  }

  /// The ISIZE field of the last gzip member (its last 4 bytes, little-endian); leaves the file at its start.
  private static func uncompressedSizeHint(
    _ file: UnsafeMutablePointer<FILE>, compressedSize: Int, path: String
  ) throws -> Int {
    guard compressedSize >= 18 else { return 0 }
    var trailer: [UInt8] = [0, 0, 0, 0]
    var got = 0
    if fseek(file, -4, SEEK_END) == 0 {
      got = try trailer.withUnsafeMutableBytes { buffer in
        try ByteFile.read(file, into: buffer.baseAddress!, capacity: 4, path: path)
      }
    }
    guard fseek(file, 0, SEEK_SET) == 0 else {
      throw DataError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
    }
    guard got == 4 else { return 0 }
    return Int(trailer[0]) | Int(trailer[1]) << 8 | Int(trailer[2]) << 16 | Int(trailer[3]) << 24
  }

  /// zlib's own message for the stream when it set one, else a description of the status code.
  private static func zlibMessage(_ stream: z_stream, status: Int32) -> String {
    if let message = stream.msg {
      return String(cString: message)
    }
    switch status {
    case Z_DATA_ERROR: return "invalid compressed data"
    case Z_MEM_ERROR: return "out of memory"
    case Z_STREAM_ERROR: return "inconsistent stream state"
    case Z_VERSION_ERROR: return "incompatible zlib version"
    default: return "zlib error \(status)"
    }
  }
}
