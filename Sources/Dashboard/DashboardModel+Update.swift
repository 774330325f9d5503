import RunEvents

extension DashboardModel {
  /// Starts with theme `index` of `themeNames`.
  public mutating func selectTheme(_ index: Int) {
    themeIndex = min(max(index, 0), themeNames.count - 1)
  }

  /// Handles one key and returns what the caller must do.
  public mutating func update(_ key: Key) -> [DashboardEffect] {
    if key == .resize { return [.redraw] }
    if isHelpVisible {
      isHelpVisible = false
      return [.redraw]
    }
    if isConfirmingQuit { return updateQuitPrompt(key) }
    if editor != nil { return updateEditor(key) }
    if isWatchingOnly, key == .escape, zoomed == nil { return [.quit] }
    guard let action = Keymap.action(for: key, in: mode == .replay ? .replay : .dashboard) else { return [] }
    return perform(action, key: key)
  }

  private mutating func perform(_ action: DashboardAction, key: Key) -> [DashboardEffect] {
    message = nil
    switch action {
    case .togglePause where isWatchingOnly, .openEditor where isWatchingOnly:
      message = "this run runs in another process (a study worker); the dashboard only watches it"
    case .togglePause: return togglePause()
    case .openEditor: return openEditor()
    case .focusNext, .focusPrevious:
      let panels =
        DashboardLayout.make(size: size, zoomed: zoomed, cellGraphs: shown.isTraining)?.visiblePanels
        ?? PanelID.allCases
      let index = panels.firstIndex(of: focus) ?? 0
      let delta = action == .focusNext ? 1 : -1
      focus = panels[(index + delta + panels.count) % panels.count]
    case .zoom:
      guard case .character(let c) = key, let n = c.wholeNumberValue, let panel = PanelID(rawValue: n) else {
        message = "no panel \(key); panels are 1-\(PanelID.allCases.count)"
        return [.redraw]
      }
      zoomed = zoomed == panel ? nil : panel
      focus = panel
    case .unzoom: zoomed = nil
    case .toggleHelp: isHelpVisible = true
    case .toggleFreeze:
      frozenData = isFrozen ? nil : data
      eventsSinceFreeze = 0
    case .cycleTheme:
      themeIndex = (themeIndex + 1) % themeNames.count
      message = "theme: \(themeNames[themeIndex])"
      return [.themeChanged(themeIndex), .redraw]
    case .quit:
      if isLiveSearchRunning && !isWatchingOnly {
        isConfirmingQuit = true
      } else {
        return [.quit]
      }
    case .scrubBack: scrub(to: (epochIndex ?? 0) - 1)
    case .scrubForward: scrub(to: (epochIndex ?? 0) + 1)
    case .scrubFirst: scrub(to: 0)
    case .scrubLast: scrub(to: shown.epochs.count - 1)
    case .smoothMore, .smoothLess:
      let levels = Self.smoothingLevels
      let index = levels.lastIndex { $0 <= smoothing } ?? 0
      smoothing = levels[min(max(index + (action == .smoothMore ? 1 : -1), 0), levels.count - 1)]
      message = "smoothing \(smoothing)"
    case .toggleLogScale: isLogScale.toggle()
    case .toggleValues: showsValues.toggle()
    case .toggleWinners: showsWinners.toggle()
    case .toggleReplay: return toggleReplay()
    case .cyclePhase:
      guard !earlierPhases.isEmpty else {
        message = "this session has one phase"
        return [.redraw]
      }
      let next = (viewedPhase ?? earlierPhases.count) + 1
      viewedPhase = next > earlierPhases.count ? 0 : (next == earlierPhases.count ? nil : next)
      selectedEpochIndex = nil
      let shownRun = shown.started
      message =
        "showing \(shownRun?.phaseKind.title ?? "phase") \(shownRun?.runID ?? "")"
        + (viewedPhase == nil ? " (live)" : "")
    default: return []
    }
    return [.redraw]
  }

  /// Selects epoch index `index`, clamped to the epochs shown; the last one follows new epochs in a live run.
  mutating func scrub(to index: Int) {
    let count = shown.epochs.count
    guard count > 0 else { return }
    let clamped = min(max(index, 0), count - 1)
    selectedEpochIndex = clamped == count - 1 && mode == .live ? nil : clamped
  }

  private mutating func togglePause() -> [DashboardEffect] {
    guard mode == .live else {
      message = "a replay cannot be paused; p plays or pauses the replay"
      return [.redraw]
    }
    guard isLiveSearchRunning else {
      message = "the search has ended"
      return [.redraw]
    }
    let command: ControlCommand = data.isPaused ? .resume : .pause
    pendingCommand = command
    message = command == .pause ? "pause requested (at the next step)" : "resume requested"
    return [.send(command), .redraw]
  }

  private mutating func openEditor() -> [DashboardEffect] {
    guard isLiveSearchRunning, let run = data.started, let schedules = data.schedules else {
      message = mode == .replay ? "a replay cannot be edited" : "no running search to edit"
      return [.redraw]
    }
    editor = ScheduleEditor(schedules: schedules, targets: run.editTargets, epochs: run.epochs)
    return [.redraw]
  }

  private mutating func toggleReplay() -> [DashboardEffect] {
    guard mode == .replay else { return [] }
    isReplayPlaying.toggle()
    if isReplayPlaying, let index = epochIndex, index >= shown.epochs.count - 1 { selectedEpochIndex = 0 }
    if isReplayPlaying, selectedEpochIndex == nil { selectedEpochIndex = epochIndex }
    lastReplayAdvance = -.infinity
    return [.redraw]
  }

  private mutating func updateQuitPrompt(_ key: Key) -> [DashboardEffect] {
    switch Keymap.action(for: key, in: .quitPrompt) {
    case .confirm:
      isConfirmingQuit = false
      return [.send(.stop), .quit]
    case .decline:
      isConfirmingQuit = false
      return [.redraw]
    default:
      return []
    }
  }

  private mutating func updateEditor(_ key: Key) -> [DashboardEffect] {
    guard var form = editor else { return [] }
    defer { if editor != nil { editor = form } }
    switch Keymap.action(for: key, in: .editForm) {
    case .nextField: form.moveField(1)
    case .previousField: form.moveField(-1)
    case .nextChoice: form.cycleChoice(1)
    case .previousChoice: form.cycleChoice(-1)
    case .deleteCharacter: form.deleteBackward()
    case .cancel:
      editor = nil
      message = "edit cancelled"
    case .apply:
      switch form.edit {
      case .success(let edit):
        editor = nil
        pendingCommand = .edit(edit)
        message = "edit sent: \(edit.target.title) = \(edit.curve.summary)"
        return [.send(.edit(edit)), .redraw]
      case .failure:
        return [.redraw]
      }
    default:
      if case .character(let c) = key { form.type(c) } else { return [] }
    }
    return [.redraw]
  }

  /// Advances a playing replay by one epoch every `replayInterval` seconds; `now` is any monotonic clock in
  /// seconds. Stops at the last epoch.
  public mutating func tick(now: Double) -> [DashboardEffect] {
    guard mode == .replay, isReplayPlaying else { return [] }
    if lastReplayAdvance == -.infinity {
      lastReplayAdvance = now
      return []
    }
    guard now - lastReplayAdvance >= replayInterval else { return [] }
    lastReplayAdvance = now
    let next = (epochIndex ?? -1) + 1
    scrub(to: next)
    if next >= shown.epochs.count - 1 { isReplayPlaying = false }
    return [.redraw]
  }
}
