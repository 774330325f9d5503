import Dashboard
import RunEvents
import Testing

@Suite struct ModelUpdateTests {
  static func liveModel() -> DashboardModel {
    var model = DashboardModel(
      mode: .live, themeNames: ["dark", "light", "cividis"], size: TerminalSize(width: 120, height: 40))
    model.apply(RecordedRun.events())
    return model
  }

  @Test func spaceSendsPauseAndBadgeWaitsForTheEngine() {
    var model = Self.liveModel()
    #expect(model.update(.character(" ")) == [.send(.pause), .redraw])
    #expect(!model.data.isPaused)
    #expect(!DashboardRenderer.render(model, size: model.size).line(0).contains("PAUSED"))
    model.apply(.control(ControlApplied(command: .pause, epoch: 2, globalStep: 29)))
    #expect(model.data.isPaused)
    #expect(model.pendingCommand == nil)
    #expect(DashboardRenderer.render(model, size: model.size).line(0).contains(" PAUSED "))
    #expect(model.update(.character(" ")) == [.send(.resume), .redraw])
  }

  @Test func nanPauseShowsItsReason() {
    var model = Self.liveModel()
    model.apply(.control(ControlApplied(command: .pause, epoch: 2, globalStep: 29, reason: "NaN loss at step 29")))
    #expect(model.data.pauseReason == "NaN loss at step 29")
    #expect(DashboardRenderer.render(model, size: model.size).line(0).contains("PAUSED: NaN loss at step 29"))
  }

  @Test func editFormRejectsMuOutsideItsRange() {
    var model = Self.liveModel()
    _ = model.update(.character("e"))
    #expect(model.editor?.target == .mu)
    _ = model.update(.tab)
    _ = model.update(.left)
    #expect(model.editor?.kind == .constant)
    _ = model.update(.tab)
    for _ in 0..<5 { _ = model.update(.backspace) }
    for c in "1.5" { _ = model.update(.character(c)) }
    #expect(model.editor?.errorText == "mu value 1.5 is outside [0, 1]")
    // Enter does not send an invalid edit and keeps the form open.
    #expect(model.update(.enter) == [.redraw])
    #expect(model.editor != nil)
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("error: mu value 1.5 is outside [0, 1]"))
    // Letters typed into the form do not reach the dashboard keys.
    #expect(model.update(.character("q")) == [.redraw])
    #expect(!model.isConfirmingQuit)
  }

  @Test func enterSendsTheEdit() {
    var model = Self.liveModel()
    _ = model.update(.character("e"))
    _ = model.update(.tab)
    _ = model.update(.left)
    _ = model.update(.tab)
    for _ in 0..<5 { _ = model.update(.backspace) }
    for c in "0.4" { _ = model.update(.character(c)) }
    #expect(model.editor?.errorText == nil)
    let preview = model.editor!.preview
    #expect(preview.new == Array(repeating: 0.4, count: 10))
    #expect(preview.old.first == 1)
    let effects = model.update(.enter)
    #expect(effects == [.send(.edit(ScheduleEdit(target: .mu, curve: .constant(0.4)))), .redraw])
    #expect(model.editor == nil)
    #expect(model.message == "edit sent: mu = constant 0.4")
    // The engine's echo replaces the note with the outcome, which stays until the next key.
    let edit = ScheduleEdit(target: .mu, curve: .constant(0.4))
    model.apply(
      .control(ControlApplied(command: .edit(edit), epoch: 0, globalStep: 3, previous: .cosine(from: 1, to: 0))))
    #expect(model.message == "edit applied: mu = constant 0.4")
  }

  @Test func escapeCancelsTheEdit() {
    var model = Self.liveModel()
    _ = model.update(.character("e"))
    #expect(model.update(.escape) == [.redraw])
    #expect(model.editor == nil)
  }

  @Test func editTargetsFollowTheComponents() {
    let form = ScheduleEditor(schedules: RecordedRun.schedules, components: [.normal, .reduce], epochs: 10)
    #expect(form.targets == [.mu, .weightLearningRate, .architectureMultiplier(.backbone)])
    var four = ScheduleEditor(
      schedules: RecordedRun.schedules, components: [.normal, .reduce, .instance, .class], epochs: 10)
    #expect(
      four.targets.map(\.title) == ["mu", "weight lr", "arch lr x backbone", "arch lr x instance", "arch lr x class"])
    four.cycleChoice(1)
    #expect(four.target == .weightLearningRate)
    #expect(four.kind == .cosine)
    #expect(four.numbers == ["0.025", "0.001"])
    four.setNumber(0, "abc")
    #expect(four.errorText == "\"abc\" is not a number")
  }

  @Test func quitAsksWhileTheSearchRuns() {
    var model = Self.liveModel()
    #expect(model.update(.character("q")) == [.redraw])
    #expect(model.isConfirmingQuit)
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("tailnas resume hls-20250101-0412"))
    #expect(screen.contains("Quit now? (y/n)"))
    #expect(model.update(.character("n")) == [.redraw])
    #expect(!model.isConfirmingQuit)
    _ = model.update(.character("q"))
    #expect(model.update(.character("y")) == [.send(.stop), .quit])
  }

  @Test func quitWithoutAskingOnceTheSearchEnded() {
    var model = Self.liveModel()
    model.apply(.finished(RunFinished(epochs: 3, bestTestAccuracy: 0.44, bestEpoch: 2, stopped: false)))
    #expect(model.update(.character("q")) == [.quit])
    var stopped = Self.liveModel()
    stopped.isSearchRunning = false
    #expect(stopped.update(.character("q")) == [.quit])
  }

  @Test func scrubberClampsAndFollowsTheLatestEpoch() {
    var model = Self.liveModel()
    #expect(model.epochIndex == 2)
    _ = model.update(.left)
    #expect(model.selectedEpochIndex == 1)
    _ = model.update(.left)
    _ = model.update(.left)
    _ = model.update(.left)
    #expect(model.selectedEpochIndex == 0)
    #expect(model.selectedReport?.epoch == 0)
    _ = model.update(.end)
    #expect(model.selectedEpochIndex == nil)
    _ = model.update(.right)
    #expect(model.epochIndex == 2)
    _ = model.update(.home)
    #expect(model.epochIndex == 0)
    model.apply(.epoch(RecordedRun.epochReport(3, schedules: RecordedRun.schedules)))
    #expect(model.epochIndex == 0)  // a scrubbed view stays put
    _ = model.update(.end)
    model.apply(.epoch(RecordedRun.epochReport(4, schedules: RecordedRun.schedules)))
    #expect(model.selectedReport?.epoch == 4)  // the latest is followed
  }

  @Test func zoomTogglesAndEscapeUnzooms() {
    var model = Self.liveModel()
    _ = model.update(.character("3"))
    #expect(model.zoomed == .alphas)
    #expect(model.focus == .alphas)
    _ = model.update(.character("3"))
    #expect(model.zoomed == nil)
    _ = model.update(.character("6"))
    #expect(model.zoomed == .classes)
    _ = model.update(.escape)
    #expect(model.zoomed == nil)
    _ = model.update(.character("9"))
    #expect(model.zoomed == nil)
    #expect(model.message == "no panel 9; panels are 1-6")
  }

  @Test func tabCyclesTheVisiblePanels() {
    var model = Self.liveModel()
    model.size = TerminalSize(width: 80, height: 24)
    var seen: [PanelID] = []
    for _ in 0..<3 {
      _ = model.update(.tab)
      seen.append(model.focus)
    }
    #expect(seen == [.accuracy, .alphas, .loss])
    _ = model.update(.backTab)
    #expect(model.focus == .alphas)
  }

  @Test func freezeKeepsTheViewWhileEventsAccumulate() {
    var model = Self.liveModel()
    _ = model.update(.character("f"))
    #expect(model.isFrozen)
    let before = DashboardRenderer.render(model, size: model.size)
    model.apply(.epoch(RecordedRun.epochReport(3, schedules: RecordedRun.schedules)))
    #expect(model.data.epochs.count == 4)
    #expect(model.shown.epochs.count == 3)
    let after = DashboardRenderer.render(model, size: model.size)
    #expect(after.line(0).contains("FROZEN +1"))
    #expect(before.line(5) == after.line(5))
    _ = model.update(.character("f"))
    #expect(model.shown.epochs.count == 4)
  }

  @Test func themeCyclingWraps() {
    var model = Self.liveModel()
    #expect(model.update(.character("t")) == [.themeChanged(1), .redraw])
    #expect(model.update(.character("t")) == [.themeChanged(2), .redraw])
    #expect(model.update(.character("t")) == [.themeChanged(0), .redraw])
    #expect(model.message == "theme: dark")
  }

  @Test func smoothingAndLogScaleKeys() {
    var model = Self.liveModel()
    #expect(model.smoothing == 0.6)
    _ = model.update(.character("s"))
    #expect(model.smoothing == 0.8)
    _ = model.update(.character("S"))
    _ = model.update(.character("S"))
    _ = model.update(.character("S"))
    _ = model.update(.character("S"))
    #expect(model.smoothing == 0)
    _ = model.update(.character("l"))
    #expect(model.isLogScale)
    #expect(DashboardRenderer.render(model, size: model.size).contains("1 loss (log)"))
  }

  @Test func helpComesFromTheKeymap() {
    var model = Self.liveModel()
    _ = model.update(.character("?"))
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.contains("tailnas keys"))
    for binding in Keymap.bindings(in: .dashboard) {
      #expect(screen.contains(binding.summary), "help lacks \(binding.summary)")
    }
    #expect(model.update(.character("x")) == [.redraw])
    #expect(!model.isHelpVisible)
  }

  @Test func everyKeyOfTheKeymapMapsToItsAction() {
    for binding in Keymap.bindings {
      for key in binding.keys {
        #expect(Keymap.action(for: key, in: binding.context) == binding.action)
      }
    }
    #expect(Keymap.action(for: .character("p"), in: .dashboard) == nil)
    #expect(Keymap.action(for: .character("p"), in: .replay) == .toggleReplay)
    #expect(Keymap.action(for: .character(" "), in: .replay) == .togglePause)
  }

  @Test func replayPlayAdvancesEpochsAtAFixedRate() {
    var model = DashboardModel(mode: .replay, size: TerminalSize(width: 120, height: 40))
    model.apply(RecordedRun.events())
    #expect(model.epochIndex == 2)
    #expect(model.update(.character(" ")) == [.redraw])  // a replay cannot pause a search
    #expect(model.message?.contains("replay") == true)
    _ = model.update(.character("p"))
    #expect(model.isReplayPlaying)
    #expect(model.epochIndex == 0)  // at the end, play starts over
    #expect(model.tick(now: 10) == [])
    #expect(model.tick(now: 10.2) == [])
    #expect(model.tick(now: 10.5) == [.redraw])
    #expect(model.epochIndex == 1)
    #expect(model.tick(now: 11.0) == [.redraw])
    #expect(model.epochIndex == 2)
    #expect(!model.isReplayPlaying)  // stops at the last epoch
    _ = model.update(.left)
    #expect(model.epochIndex == 1)
    #expect(model.update(.character("q")) == [.quit])
    let screen = DashboardRenderer.render(model, size: model.size)
    #expect(screen.line(0).contains("REPLAY"))
  }
}
