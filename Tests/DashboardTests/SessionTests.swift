import Dashboard
import Foundation
import RunEvents
import Testing

final class Recorder: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [ControlCommand] = []
  var commands: [ControlCommand] {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
  func record(_ command: ControlCommand) {
    lock.lock()
    stored.append(command)
    lock.unlock()
  }
}

final class Flag: @unchecked Sendable {
  var value = true
}

@Suite struct SessionTests {
  final class Clock {
    var now = 100.0
  }

  @Test func liveSessionDrainsEventsSendsCommandsAndBlitsDiffs() {
    let channel = EventChannel(capacity: 4096)
    for event in RecordedRun.events() { channel.emit(event) }
    let terminal = InMemoryTerminal(size: TerminalSize(width: 120, height: 40))
    let recorder = Recorder()
    let running = Flag()
    let clock = Clock()
    let session = DashboardSession(
      model: DashboardModel(mode: .live, size: terminal.size), themes: [.builtIn], device: terminal,
      source: .live(channel, isRunning: { running.value }), controls: { recorder.record($0) },
      clock: { clock.now })
    #expect(session.step() == nil)
    #expect(terminal.presents == 1)
    #expect(terminal.screen == DashboardRenderer.render(session.model, size: terminal.size))
    // Nothing changed: no frame.
    clock.now += 1
    #expect(session.step() == nil)
    #expect(terminal.presents == 1)
    // Space sends pause through the caller's closure; the badge waits for the engine.
    terminal.keys = [.character(" ")]
    clock.now += 1
    #expect(session.step() == nil)
    #expect(recorder.commands == [.pause])
    #expect(terminal.presents == 2)
    channel.emit(.control(ControlApplied(command: .pause, epoch: 2, globalStep: 29)))
    clock.now += 1
    let written = terminal.cellsWritten
    #expect(session.step() == nil)
    #expect(terminal.screen.line(0).contains(" PAUSED "))
    #expect(terminal.cellsWritten - written < 120 * 40 / 4)  // only changed cells are sent
    #expect(terminal.screen == DashboardRenderer.render(session.model, size: terminal.size))
    // The search ends: q quits without asking.
    running.value = false
    channel.emit(.finished(RunFinished(epochs: 3, bestTestAccuracy: 0.44, bestEpoch: 2, stopped: true)))
    terminal.keys = [.character("q")]
    clock.now += 1
    #expect(session.step() == .finishedAndQuit)
  }

  @Test func framesAreThrottled() {
    let channel = EventChannel()
    let terminal = InMemoryTerminal(size: .minimum)
    let clock = Clock()
    let session = DashboardSession(
      model: DashboardModel(size: terminal.size), themes: [.builtIn], device: terminal,
      source: .live(channel, isRunning: { true }), controls: { _ in }, maxFramesPerSecond: 20, clock: { clock.now })
    _ = session.step()
    #expect(terminal.presents == 1)
    for event in RecordedRun.events().prefix(5) {
      channel.emit(event)
      clock.now += 0.01
      _ = session.step()
    }
    #expect(terminal.presents == 2)  // 50 ms apart at most 20 frames a second
  }

  @Test func quitWhileRunningNeedsConfirmationAndStopsTheSearch() {
    let channel = EventChannel()
    for event in RecordedRun.events() { channel.emit(event) }
    let terminal = InMemoryTerminal(size: .minimum)
    let recorder = Recorder()
    let session = DashboardSession(
      model: DashboardModel(size: terminal.size), themes: [.builtIn], device: terminal,
      source: .live(channel, isRunning: { true }), controls: { recorder.record($0) })
    terminal.keys = [.character("q")]
    #expect(session.step() == nil)
    session.draw()
    #expect(terminal.screen.contains("Quit now? (y/n)"))
    terminal.keys = [.character("y")]
    #expect(session.step() == .userQuit)
    #expect(recorder.commands == [.stop])
  }

  @Test func resizeAndThemeChangeRepaintEverything() {
    let terminal = InMemoryTerminal(size: .minimum)
    let clock = Clock()
    let session = DashboardSession(
      model: DashboardModel(mode: .replay, themeNames: ["a", "b"], size: terminal.size),
      themes: [.builtIn, Theme(name: "b", palette: [:], heatStops: [])], device: terminal,
      source: .replay(RecordedRun.events()), controls: { _ in }, clock: { clock.now })
    _ = session.step()
    #expect(terminal.clears == 1)
    terminal.size = TerminalSize(width: 60, height: 15)
    terminal.keys = [.resize]
    clock.now += 1
    _ = session.step()
    #expect(terminal.clears == 2)
    #expect(terminal.screen.contains("terminal is 60x15; tailnas needs at least 80x24"))
    terminal.keys = [.character("t")]
    clock.now += 1
    _ = session.step()
    #expect(terminal.clears == 3)
    #expect(terminal.lastTheme?.name == "b")
  }

  @Test func signalsEndTheSession() {
    let terminal = InMemoryTerminal(size: .minimum)
    let session = DashboardSession(
      model: DashboardModel(mode: .replay, size: terminal.size), themes: [], device: terminal,
      source: .replay(RecordedRun.events()), controls: { _ in })
    terminal.interruption = 15
    #expect(session.run() == .interrupted(signal: 15))
  }

  @Test func benchmarkRendersFramesThatChange() {
    let result = DashboardBenchmark.run(
      events: RecordedRun.events(), size: TerminalSize(width: 200, height: 60), frames: 4)
    #expect(result.steps == 30, "the benchmark draws the whole recorded history")
    #expect(result.changedCells > 0, "scrubbing between epochs redraws the heatmaps")
    #expect(result.millisecondsPerFrame > 0)
  }
}
