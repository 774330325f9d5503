import Foundation
import RunStore

#if canImport(Glibc)
  import Glibc
#endif

/// The lock a worker holds on a study run while it runs it: `<study>/runs/<id>.lock`, created exclusively
/// (a hard link to a file already holding its mark: atomic on local and NFS file systems), holding `host pid` of its holder. The holder
/// touches it every `heartbeat` seconds. A lock is stale when its holder is on this host and is no longer a
/// live tailnas, or when it is on another host and has not been touched for `staleAfter` seconds; a stale lock
/// is taken over (renamed away atomically, so of two workers that both find it stale only one takes it).
public final class StudyLock: @unchecked Sendable {
  /// How often the holder touches the lock.
  public static let heartbeat: TimeInterval = 30
  /// How long a lock of another host may go untouched before it counts as stale.
  public static let staleAfter: TimeInterval = 300

  public let path: String
  private let timer: DispatchSourceTimer
  private var released = false

  private init(path: String) {
    self.path = path
    timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + Self.heartbeat, repeating: Self.heartbeat)
    timer.setEventHandler { [path] in _ = utimes(path, nil) }
    timer.resume()
  }

  deinit { release() }

  /// This process's mark: `host pid`.
  static var mark: String { "\(ProcessInfo.processInfo.hostName) \(getpid())" }

  static func path(of run: StudyRun) -> String { run.directory.path + ".lock" }

  /// Takes the lock of `run`, or returns nil when a live worker holds it. A stale lock is reported through
  /// `note` and taken over.
  public static func acquire(_ run: StudyRun, note: (String) -> Void = { _ in }) throws -> StudyLock? {
    let path = path(of: run)
    try DurableFile.createDirectory(run.directory.deletingLastPathComponent(), what: "the study's runs directory")
    for _ in 0..<3 {
      // Write the mark into a file of our own, then link it to the lock's name: link(2) fails when the lock
      // exists and is atomic on local and NFS file systems, so the lock is never seen without its holder.
      let own = path + ".\(ProcessInfo.processInfo.hostName).\(getpid())"
      let fd = open(own, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      guard fd >= 0 else { throw RunStoreError.ioFailure(path: own, reason: String(cString: strerror(errno))) }
      let text = Array((mark + "\n").utf8)
      let written = text.withUnsafeBytes { write(fd, $0.baseAddress, text.count) }
      fsync(fd)
      close(fd)
      guard written == text.count else {
        unlink(own)
        throw RunStoreError.ioFailure(path: own, reason: "could not write the lock (disk full?)")
      }
      let linked = link(own, path) == 0
      let reason = errno
      unlink(own)
      if linked { return StudyLock(path: path) }
      guard reason == EEXIST else {
        throw RunStoreError.ioFailure(path: path, reason: String(cString: strerror(reason)))
      }
      guard let stale = staleHolder(path) else { return nil }
      // Take the stale lock over: only one of several workers wins the rename.
      let aside = path + ".stale-\(getpid())"
      guard rename(path, aside) == 0 else { continue }
      let moved = (try? String(contentsOfFile: aside, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      if moved != stale {
        // Another worker replaced the stale lock between our look and our rename: put its lock back.
        _ = link(aside, path)
        unlink(aside)
        return nil
      }
      unlink(aside)
      note("\(run.id): took over the stale lock of \(stale)")
    }
    return nil
  }

  /// The holder of `run`'s lock when it is live (`host pid`), nil when there is no lock or it is stale.
  public static func liveHolder(of run: StudyRun) -> String? {
    let path = path(of: run)
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    return staleHolder(path) == nil ? text.trimmingCharacters(in: .whitespacesAndNewlines) : nil
  }

  /// The holder written in the lock at `path` when the lock is stale, nil when it is live (or gone).
  static func staleHolder(_ path: String) -> String? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    let holder = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let parts = holder.split(separator: " ")
    guard parts.count == 2, let pid = Int32(parts[1]) else {
      // Not a lock this code wrote: stale once it is older than a heartbeat, so a damaged lock does not hold
      // its run for ever.
      return age(path) > heartbeat ? holder : nil
    }
    if String(parts[0]) == ProcessInfo.processInfo.hostName {
      return RunDirectory.isLiveTailnas(pid) ? nil : holder
    }
    return age(path) > staleAfter ? holder : nil
  }

  /// Seconds since the file at `path` was last touched (infinite when it cannot be read).
  static func age(_ path: String) -> TimeInterval {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    guard let touched = attributes?[.modificationDate] as? Date else { return .infinity }
    return Date().timeIntervalSince(touched)
  }

  /// Gives the lock up.
  public func release() {
    guard !released else { return }
    released = true
    timer.cancel()
    unlink(path)
  }
}
