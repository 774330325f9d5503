import ArgumentParser
import Foundation
import Presentation
import RunEvents
import RunStore
import Search

#if canImport(Glibc)
  import Glibc
#endif

/// SIGINT/SIGTERM ask the engine to stop at the next step boundary (the run stays resumable); a second
/// signal exits at once.
enum StopSignal {
  nonisolated(unsafe) private static var handler: (() -> Void)?
  nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
  nonisolated(unsafe) private static var count = 0

  /// Whether a stop signal has arrived (a study worker then takes no further run).
  static var received: Bool { count > 0 }

  /// Sends the next stop signal to `action` (replacing the previous one: a study worker runs one run after
  /// another).
  static func install(_ action: @escaping () -> Void) {
    handler = action
    guard sources.isEmpty else { return }
    for sig in [SIGINT, SIGTERM] {
      signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        count += 1
        if count > 1 { exit(ExitStatus.stopped) }
        printError("\ntailnas: stopping at the next step (press Ctrl-C again to quit at once)")
        handler?()
      }
      source.resume()
      sources.append(source)
    }
  }
}
