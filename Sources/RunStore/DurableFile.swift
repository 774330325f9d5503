import Foundation
import Presentation

#if canImport(Glibc)
  import Glibc
#endif

/// Crash-safe file writes through POSIX calls, so failures (a full disk) surface as errors with errno text.
public enum DurableFile {
  /// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, rename, fsync of
  /// the directory. On failure the temporary file is removed and the old file (if any) is untouched.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw RunStoreError.ioFailure(path: temporary, reason: errnoText()) }
    do {
      try writeAll(fd, bytes, path: temporary)
      guard fsync(fd) == 0 else { throw RunStoreError.ioFailure(path: temporary, reason: errnoText()) }
      close(fd)
    } catch {
      close(fd)
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let reason = errnoText()
      unlink(temporary)
      throw RunStoreError.ioFailure(path: path, reason: reason)
    }
    syncDirectory(of: path)
  }

  /// Writes every byte, retrying short writes.
  static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw RunStoreError.ioFailure(path: path, reason: errnoText())
      }
      offset += n
    }
  }

  static func syncDirectory(of path: String) {
    let directory = (path as NSString).deletingLastPathComponent
    let fd = open(directory.isEmpty ? "." : directory, O_RDONLY)
    if fd >= 0 {
      fsync(fd)
      close(fd)
    }
  }

  static func errnoText() -> String {
    String(cString: strerror(errno))
  }

  /// Creates `directory` and its parents (`what` names it in messages, e.g. "the runs directory"); the error is
  /// a sentence: the path is a file, or the system's reason (`Permission denied`), never Foundation's internals.
  public static func createDirectory(_ directory: URL, what: String = "the directory") throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw RunStoreError.ioFailure(path: directory.path, reason: "cannot create \(what): a file has that name")
      }
      return
    }
    // The nearest existing ancestor must be a directory too.
    var ancestor = directory.deletingLastPathComponent()
    while ancestor.path != "/", !FileManager.default.fileExists(atPath: ancestor.path) {
      ancestor = ancestor.deletingLastPathComponent()
    }
    if FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw RunStoreError.ioFailure(
        path: directory.path, reason: "cannot create \(what): \(ancestor.path) is a file, not a directory")
    }
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    } catch {
      throw RunStoreError.ioFailure(path: directory.path, reason: "cannot create \(what): \(Format.reason(error))")
    }
  }
}
