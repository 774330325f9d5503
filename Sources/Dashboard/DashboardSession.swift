import Foundation
import RunEvents

/// The dashboard's event loop, independent of curses: drains events without blocking, reads keys with a
/// short timeout, updates the model, redraws only when something changed and at most `maxFramesPerSecond`
/// times a second, and sends only the cells that changed since the previous frame.
public final class DashboardSession {
  public private(set) var model: DashboardModel
  public let themes: [Theme]
  public let maxFramesPerSecond: Int
  /// Frames presented so far.
  public private(set) var frameCount = 0
  private let device: any TerminalDevice
  private let source: DashboardSource
  private let controls: @Sendable (ControlCommand) -> Void
  private let clock: () -> Double
  private var previous: ScreenBuffer?
  private var current: ScreenBuffer?
  private var dirty = true
  private var lastFrame = -Double.infinity
  /// How long `readKey` waits when nothing needs drawing.
  public var idleTimeout = 0.05

  /// A session showing `source` on `device`; `controls` receives the commands the user issues.
  public init(
    model: DashboardModel, themes: [Theme], device: any TerminalDevice, source: DashboardSource,
    controls: @escaping @Sendable (ControlCommand) -> Void, maxFramesPerSecond: Int = 20,
    clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime }
  ) {
    self.model = model
    self.themes = themes.isEmpty ? [.builtIn] : themes
    self.device = device
    self.source = source
    self.controls = controls
    self.maxFramesPerSecond = max(maxFramesPerSecond, 1)
    self.clock = clock
    self.model.size = device.size
    if case .replay(let events) = source { self.model.apply(events) }
  }

  /// The theme in use.
  public var theme: Theme { themes[model.themeIndex % themes.count] }

  /// Runs until the user quits or a signal arrives.
  public func run() -> TerminalExit {
    while true {
      if let exit = step() { return exit }
    }
  }

  /// One pass of the loop; returns the exit reason when the session ends.
  public func step() -> TerminalExit? {
    if let signal = device.interruption { return .interrupted(signal: signal) }
    if case .live(let channel, let isRunning) = source {
      let running = isRunning()
      for event in channel.drain() where model.apply(event) { dirty = true }
      if model.isSearchRunning != running {
        model.isSearchRunning = running
        dirty = true
      }
    }
    let now = clock()
    let frameDue = lastFrame + 1 / Double(maxFramesPerSecond)
    let wait = dirty ? max(frameDue - now, 0) : idleTimeout
    var key = device.readKey(timeout: wait)
    var keysRead = 0
    while let pressed = key {
      if let exit = handle(model.update(resizing(pressed))) { return exit }
      keysRead += 1
      key = keysRead < 32 ? device.readKey(timeout: 0) : nil
    }
    if let exit = handle(model.tick(now: clock())) { return exit }
    if dirty && clock() >= frameDue { draw() }
    return nil
  }

  private func resizing(_ key: Key) -> Key {
    if key == .resize {
      model.size = device.size
      previous = nil
    }
    return key
  }

  private func handle(_ effects: [DashboardEffect]) -> TerminalExit? {
    for effect in effects {
      switch effect {
      case .send(let command): controls(command)
      case .redraw: dirty = true
      case .themeChanged:
        previous = nil
        dirty = true
      case .quit:
        if case .live = source, model.data.hasEnded || !model.isSearchRunning { return .finishedAndQuit }
        return .userQuit
      }
    }
    return nil
  }

  /// Renders and presents a frame now.
  public func draw() {
    let size = device.size
    if current?.size != size {
      current = ScreenBuffer(width: size.width, height: size.height)
      previous = nil
      model.size = size
    }
    DashboardRenderer.render(model, into: &current!)
    let runs = current!.changes(from: previous)
    device.present(runs, theme: theme, clear: previous == nil)
    previous = current
    frameCount += 1
    lastFrame = clock()
    dirty = false
  }
}
