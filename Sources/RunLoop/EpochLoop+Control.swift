import RunEvents

extension EpochLoop {
  /// Applies queued control commands at a step boundary; while paused, sleeps on the queue until a resume
  /// or stop arrives. Returns false when the run must stop.
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
      send(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .resume:
      guard paused else { return }
      paused = false
      send(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .stop:
      guard !stopRequested else { return }  // the dashboard's quit and the session's end both ask
      stopRequested = true
      send(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep)))
    case .edit(let edit):
      let previous = schedules.curve(for: edit.target)
      func reject(_ reason: String) {
        send(
          .control(
            ControlApplied(
              command: command, epoch: epoch, globalStep: globalStep, previous: previous, reason: "rejected: \(reason)")
          ))
      }
      guard phase.editableTargets.contains(edit.target) else {
        return reject("this run has no \(edit.target.title) schedule")
      }
      do {
        try schedules.apply(edit)
      } catch {
        return reject("\(error)")
      }
      phase.apply(values)
      send(.control(ControlApplied(command: command, epoch: epoch, globalStep: globalStep, previous: previous)))
    }
  }
}
