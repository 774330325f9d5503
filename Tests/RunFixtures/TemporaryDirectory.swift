import Foundation

/// A fresh directory `tailnas-<prefix>-<uuid>` under the system's temporary directory. Every directory made
/// here is removed, with everything in it, when the test process exits, so tests leave nothing behind.
public func temporaryDirectory(_ prefix: String = "test") throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("tailnas-\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  TemporaryDirectories.shared.register(url)
  return url
}

/// The directories to remove at exit.
final class TemporaryDirectories: @unchecked Sendable {
  static let shared = TemporaryDirectories()
  private let lock = NSLock()
  private var urls: [URL] = []

  private init() {
    atexit { TemporaryDirectories.shared.removeAll() }
  }

  func register(_ url: URL) {
    lock.lock()
    urls.append(url)
    lock.unlock()
  }

  func removeAll() {
    lock.lock()
    defer { lock.unlock() }
    for url in urls { try? FileManager.default.removeItem(at: url) }
    urls.removeAll()
  }
}
