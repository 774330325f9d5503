import Foundation
import RunEvents
import RunLoop
import RunStore

/// A run bound to its run directory: its work (one phase's loop, or a pipeline's search then training) on
/// its own thread, events logged, checkpoints written.
final class RunSession: @unchecked Sendable {
  /// The run the session is about (a pipeline's search run).
  let run: RunDirectory
  let controls: ControlQueue
  private let work: (RunSession) -> RunOutcome
  private let done = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var result: RunOutcome?
  private var startedLoops: [(run: RunDirectory, loop: EpochLoop)] = []

  /// A session whose work `work` runs on the engine thread; it hands each loop it runs to `began(_:_:)`.
  init(run: RunDirectory, controls: ControlQueue, work: @escaping (RunSession) -> RunOutcome) {
    self.run = run
    self.controls = controls
    self.work = work
  }

  /// A session that runs one loop.
  convenience init(run: RunDirectory, loop: EpochLoop, controls: ControlQueue) {
    self.init(run: run, controls: controls) { session in
      session.began(run, loop)
      return loop.run()
    }
  }

  /// Records that `loop` (of `run`) is about to run, for the summary.
  func began(_ run: RunDirectory, _ loop: EpochLoop) {
    lock.lock()
    startedLoops.append((run, loop))
    lock.unlock()
  }

  /// The loops the session has run or is running, in order, with their runs.
  var loops: [(run: RunDirectory, loop: EpochLoop)] {
    lock.lock()
    defer { lock.unlock() }
    return startedLoops
  }

  /// Starts the engine thread.
  func start() {
    let thread = Thread { [self] in
      let outcome = work(self)
      lock.lock()
      result = outcome
      let runs = startedLoops.map(\.run)
      lock.unlock()
      run.releaseOwnership()
      for other in runs where other.url != run.url { other.releaseOwnership() }
      done.signal()
    }
    thread.stackSize = 16 << 20
    thread.name = "tailnas-engine"
    thread.start()
  }

  /// Whether the engine thread is still running.
  var isRunning: Bool {
    lock.lock()
    defer { lock.unlock() }
    return result == nil
  }

  /// Waits for the engine thread to end.
  func wait() -> RunOutcome {
    done.wait()
    done.signal()
    lock.lock()
    defer { lock.unlock() }
    return result!
  }
}
