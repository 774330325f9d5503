import Foundation

/// Whole-file reads into `[UInt8]` through the C library (the module is called `Data`, so it avoids
/// Foundation's `Data` type altogether).
enum ByteFile {
  /// Whether a regular file (or a symbolic link to one) exists at `path`.
  static func exists(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
  }

  /// Opens `path` for reading.
  ///
  /// - Throws: ``DataError/missingFile(path:alternatives:)`` or ``DataError/unreadableFile(path:reason:)``.
  static func open(_ path: String) throws -> UnsafeMutablePointer<FILE> {
    guard let file = fopen(path, "rb") else {
      let code = errno
      if code == ENOENT { throw DataError.missingFile(path: path) }
      throw DataError.unreadableFile(path: path, reason: String(cString: strerror(code)))
    }
    return file
  }

  /// The size of an open file in bytes.
  static func size(of file: UnsafeMutablePointer<FILE>, path: String) throws -> Int {
    var info = stat()
    guard fstat(fileno(file), &info) == 0 else {
      throw DataError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
    }
    return Int(info.st_size)
  }

  /// Reads up to `capacity` bytes into `buffer`; returns the number read (0 at the end of the file).
  static func read(
    _ file: UnsafeMutablePointer<FILE>, into buffer: UnsafeMutableRawPointer, capacity: Int, path: String
  ) throws -> Int {
    let got = fread(buffer, 1, capacity, file)
    if got < capacity && ferror(file) != 0 {
      throw DataError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
    }
    return got
  }

  /// Reads the whole file at `path`.
  static func readAll(_ path: String) throws -> [UInt8] {
    let file = try open(path)
    defer { fclose(file) }
    let expected = try size(of: file, path: path)
    var bytes = [UInt8](repeating: 0, count: max(expected, 1))
    var filled = 0
    while true {
      if filled == bytes.count {
        bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 1 << 16)))
      }
      let got = try bytes.withUnsafeMutableBytes { buffer in
        try read(file, into: buffer.baseAddress! + filled, capacity: buffer.count - filled, path: path)
      }
      if got == 0 { break }
      filled += got
    }
    bytes.removeSubrange(filled...)
    return bytes
  }
}
