import RunEvents

extension SearchRunner {
  /// Applies queued control commands at a step boundary; while paused, sleeps on the queue until a
  /// resume or stop arrives. Returns false when the run must stop.
  func handleControls() -> Bool {
    var commands = controls.take()
    while true {
      for command in commands { apply(command) }
      if stopRequested { return false }
      if !paused { return true }
      commands = controls.wait(timeout: 0.5)
    }
  }

  /// Applies one command and records it as an event.
  func apply(_ command: ControlCommand) {
    switch command {
    case .pause:
      guard !paused else { return }
      paused = true
      sink.emit(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .resume:
      guard paused else { return }
      paused = false
      sink.emit(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .stop:
      stopRequested = true
      sink.emit(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .edit(let edit):
      let previous = schedules.curve(for: edit.target)
      do {
        try schedules.apply(edit)
        applySchedules()
        sink.emit(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep, previous: previous)))
      } catch {
        sink.emit(
          .control(
            ControlApplied(
              command: command, epoch: epoch, globalStep: globalStep, previous: previous,
              reason: "rejected: \(error)")))
      }
    }
  }
}
