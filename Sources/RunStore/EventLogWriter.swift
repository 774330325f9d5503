import Foundation
import RunEvents

#if canImport(Glibc)
  import Glibc
#endif

/// Appends events to `events.jsonl`, one JSON object a line, each line written with a single `write` so
/// a crash leaves at most a torn last line; fsync after every epoch, checkpoint and lifecycle event.
///
/// A write failure (e.g. a full disk) throws, and the writer stops writing: every later `emit` throws the
/// first failure again, so the run loop can end the run as failed while what was written stays intact.
public final class EventLogWriter: EventSink, @unchecked Sendable {
  public let path: String
  private let fd: Int32
  private let lock = NSLock()
  private var firstFailure: String?

  /// What opening the log repaired: the torn last line it cut (a crash mid-write), so appended events start on
  /// a line of their own; nil when the log ended with a complete line.
  public private(set) var repair: String?

  /// Opens (or creates) the log for appending. A torn last line (bytes after the last newline) is cut back to
  /// the last complete line first, and `repair` says so: appending after it would glue the next event to the
  /// torn bytes and damage both.
  public init(path: String) throws {
    self.path = path
    fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { throw RunStoreError.ioFailure(path: path, reason: DurableFile.errnoText()) }
    do {
      repair = try Self.cutTornTail(fd, path: path)
    } catch {
      close(fd)
      throw error
    }
  }

  /// Truncates the file after its last newline when it does not end with one; returns what it cut.
  private static func cutTornTail(_ fd: Int32, path: String) throws -> String? {
    let size = lseek(fd, 0, SEEK_END)
    guard size > 0 else { return nil }
    // Read backwards in blocks until a newline turns up.
    var end = size
    var keep: off_t = 0
    let block = 4096
    var buffer = [UInt8](repeating: 0, count: block)
    scan: while end > 0 {
      let start = max(0, end - off_t(block))
      let count = Int(end - start)
      let read = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, start) }
      guard read == count else { throw RunStoreError.ioFailure(path: path, reason: DurableFile.errnoText()) }
      for i in stride(from: count - 1, through: 0, by: -1) where buffer[i] == UInt8(ascii: "\n") {
        keep = start + off_t(i) + 1
        break scan
      }
      end = start
    }
    guard keep < size else { return nil }
    guard ftruncate(fd, keep) == 0, fsync(fd) == 0 else {
      throw RunStoreError.ioFailure(path: path, reason: DurableFile.errnoText())
    }
    let cut = Int(size - keep)
    return "\(path): cut a torn last line of \(cut) byte\(cut == 1 ? "" : "s") "
      + "(the run was interrupted while writing it)"
  }

  deinit {
    fsync(fd)
    close(fd)
  }

  /// The first write failure, if any.
  public var failure: String? {
    lock.lock()
    defer { lock.unlock() }
    return firstFailure
  }

  public func emit(_ event: RunEvent) throws {
    lock.lock()
    defer { lock.unlock() }
    if let firstFailure { throw RunStoreError.ioFailure(path: path, reason: firstFailure) }
    do {
      var line = [UInt8](try EventEnvelope(event: event).jsonLine())
      line.append(UInt8(ascii: "\n"))
      try DurableFile.writeAll(fd, line, path: path)
      if !event.isDroppable, fsync(fd) != 0 {
        throw RunStoreError.ioFailure(path: path, reason: DurableFile.errnoText())
      }
    } catch let error as RunStoreError {
      if case .ioFailure(_, let reason) = error { firstFailure = reason } else { firstFailure = "\(error)" }
      throw error
    } catch {
      firstFailure = "\(error)"
      throw RunStoreError.ioFailure(path: path, reason: "\(error)")
    }
  }
}
