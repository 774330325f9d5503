import Foundation
import RunEvents

/// Follows the events files of a run that another process writes (a study worker's run) and emits each new
/// complete line's event into a channel, the way a live run's engine would: first the search's log, then,
/// once the search has ended, its training's. It polls every `interval` seconds on its own thread; a torn
/// last line waits for its newline.
final class EventFollower: @unchecked Sendable {
  let channel = EventChannel(capacity: 1 << 16)
  private let paths: [String]
  private let interval: Double
  private let lock = NSLock()
  private var stopped = false

  /// Follows `paths` in order (the next one once the previous one's run has finished or failed).
  init(paths: [String], interval: Double = 0.25) {
    self.paths = paths
    self.interval = interval
  }

  func start() {
    let thread = Thread { [self] in follow() }
    thread.name = "tailnas.follow"
    thread.start()
  }

  func stop() {
    lock.lock()
    stopped = true
    lock.unlock()
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  private func follow() {
    var index = 0
    var offset: UInt64 = 0
    var pending = Data()
    while !isStopped, index < paths.count {
      var ended = false
      if let handle = FileHandle(forReadingAtPath: paths[index]) {
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        try? handle.close()
        offset += UInt64(data.count)
        pending.append(data)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
          let line = pending[pending.startIndex..<newline]
          pending.removeSubrange(pending.startIndex...newline)
          guard !line.isEmpty, let envelope = try? EventEnvelope.decode(line: Data(line)) else { continue }
          channel.emit(envelope.event)
          switch envelope.event {
          case .finished, .failed: ended = true
          default: break
          }
        }
      }
      if ended, index + 1 < paths.count {
        index += 1
        offset = 0
        pending = Data()
        continue
      }
      Thread.sleep(forTimeInterval: interval)
    }
  }
}
