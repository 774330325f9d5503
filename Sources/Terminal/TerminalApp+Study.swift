import CNcurses
import Dashboard
import Foundation
import RunEvents

extension TerminalApp {
  /// What the study view shows, refreshed by the caller from the study directory.
  public typealias StudyContent = (rows: [StudyView.Row], summary: [String])

  /// A run opened from the study view: the dashboard's source and what to do when the user comes back
  /// (e.g. stop following its events file).
  public typealias OpenedRun = (source: DashboardSource, close: @Sendable () -> Void)

  /// Shows the study view until the user quits or a signal arrives. `refresh` gives the rows and the
  /// aggregate table (called about once a second); Enter calls `open` with the selected row for that run's
  /// dashboard (live when its worker is running, else a replay), which Esc or q leaves back to the view. The
  /// terminal is restored on every exit path.
  public func runStudy(
    name: String, axes: [String], refresh: () -> StudyContent, open: (Int) -> OpenedRun?,
    refreshInterval: Double = 1
  ) throws -> TerminalExit {
    setlocale(LC_ALL, "")
    let utf8 = tailnas_locale_is_utf8() != 0
    let device = try CursesDevice(colorOverride: options.colorOverride, environment: options.environment)
    defer { device.close() }
    let renderOptions = RenderOptions(ascii: options.ascii || !utf8, colorless: device.depth == .monochrome)
    let themeIndex = options.themeName.flatMap { name in themes.firstIndex { $0.name == name } } ?? 0
    let theme = themes[themeIndex]
    var view = StudyView(name: name, axes: axes, options: renderOptions, size: device.size)
    var previous: ScreenBuffer?
    var lastRefresh = -Double.infinity
    var dirty = true
    while true {
      if let signal = device.interruption { return .interrupted(signal: signal) }
      let now = ProcessInfo.processInfo.systemUptime
      if now - lastRefresh >= refreshInterval {
        let content = refresh()
        let before = view
        view.refresh(rows: content.rows, summary: content.summary)
        dirty = dirty || view != before
        lastRefresh = now
      }
      if dirty {
        var buffer = ScreenBuffer(width: device.size.width, height: device.size.height)
        view.size = device.size
        StudyViewRenderer.render(view, into: &buffer)
        let sameSize = previous?.size == buffer.size
        device.present(buffer.changes(from: sameSize ? previous : nil), theme: theme, clear: !sameSize)
        previous = buffer
        dirty = false
      }
      guard let key = device.readKey(timeout: 0.2) else { continue }
      if key == .resize { previous = nil }
      switch view.update(key) {
      case .quit: return .userQuit
      case .redraw: dirty = true
      case .open(let index):
        dirty = true
        guard let opened = open(index) else {
          view.message = "\(view.rows[index].id) cannot be opened: its events are missing or unreadable"
          continue
        }
        defer { opened.close() }
        var mode = DashboardMode.live
        if case .replay = opened.source { mode = .replay }
        var model = DashboardModel(
          mode: mode, themeNames: themes.map(\.name), options: renderOptions, size: device.size)
        model.selectTheme(themeIndex)
        model.isWatchingOnly = true
        let session = DashboardSession(
          model: model, themes: themes, device: device, source: opened.source, controls: { _ in },
          maxFramesPerSecond: options.maxFramesPerSecond)
        if case .interrupted(let signal) = session.run() { return .interrupted(signal: signal) }
        previous = nil
      case nil: break
      }
    }
  }
}
