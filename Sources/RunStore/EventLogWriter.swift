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

  /// Opens (or creates) the log for appending.
  public init(path: String) throws {
    self.path = path
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { throw RunStoreError.ioFailure(path: path, reason: DurableFile.errnoText()) }
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
