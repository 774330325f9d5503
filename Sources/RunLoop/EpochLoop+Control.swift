import RunEvents

extension EpochLoop {
  /// Applies queued control commands at a step boundary; while paused, sleeps on the queue until a resume
  /// or stop arrives. Returns false when the run must stop.
  ///
  /// In a data-parallel run only rank 0 reads its queue; the commands it applied (and a stop when its
  /// events cannot be written) go to the other ranks, which apply them in the same order.
  func handleControls() -> Bool {
    if let replication, !replication.communicator.isLeader {
      for command in replication.shareControls([]) { apply(command) }
      return !stopRequested
    }
    var commands = controls.take()
    var applied: [ControlCommand] = []
    while true {
      for command in commands { apply(command) }
      applied += commands
      if stopRequested || !paused { break }
      commands = controls.wait(timeout: 0.5)
    }
    _ = replication?.shareControls(applied + (sinkFailure != nil && !stopRequested ? [.stop] : []))
    return !stopRequested
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
