import Foundation
import RunEvents
import RunLoop
import RunStore

/// A run bound to its run directory: events logged, checkpoints written, the run loop on its own thread.
final class RunSession: @unchecked Sendable {
  let run: RunDirectory
  let loop: EpochLoop
  let controls: ControlQueue
  private let done = DispatchSemaphore(value: 0)
  private let lock = NSLock()
  private var result: RunOutcome?

  init(run: RunDirectory, loop: EpochLoop, controls: ControlQueue) {
    self.run = run
    self.loop = loop
    self.controls = controls
  }

  /// Starts the engine thread.
  func start() {
    let thread = Thread { [self] in
      let outcome = loop.run()
      lock.lock()
      result = outcome
      lock.unlock()
      run.releaseOwnership()
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

/// How a session is watched, which decides what a loss that is not finite does unless the configuration says.
enum Watching {
  case dashboard
  case headless

  /// Pause in the dashboard (a person can act), stop headless (nobody can unpause a batch job).
  func nanPolicy(configured: NaNPolicy?) -> NaNPolicy {
    configured ?? (self == .dashboard ? .pause : .stop)
  }
}
