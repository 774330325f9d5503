import RunEvents

/// Whether the dashboard watches a running search or replays a saved one.
public enum DashboardMode: Sendable, Equatable {
  case live
  case replay
}

/// What the caller must do after an update.
public enum DashboardEffect: Sendable, Equatable {
  /// Send a command to the engine (through `ControlQueue.send`).
  case send(ControlCommand)
  /// Leave the dashboard.
  case quit
  /// The screen must be drawn again.
  case redraw
  /// The theme changed to `themeNames[index]`.
  case themeChanged(Int)
}

/// The dashboard's whole state: the run data from events plus the view state from keys.
///
/// It is a value: `apply(_:)` folds in events, `update(_:)` handles a key and returns effects, `tick(now:)`
/// advances a playing replay, and `DashboardRenderer` draws it. No terminal or engine is involved.
public struct DashboardModel: Sendable, Equatable {
  /// The data of the current phase as events arrive.
  public private(set) var data: RunData
  /// The phases that came before the current one in this session (a pipeline's search), oldest first.
  public private(set) var earlierPhases: [RunData] = []
  /// The earlier phase shown instead of the current one (`P`), nil for the current.
  public internal(set) var viewedPhase: Int?
  let historyCapacity: Int
  /// The data shown while the view is frozen (`f`).
  public internal(set) var frozenData: RunData?
  public let mode: DashboardMode
  /// Whether a replay is playing.
  public internal(set) var isReplayPlaying = false
  /// Whether the live search thread is still running (the session keeps this up to date).
  public var isSearchRunning: Bool
  /// Whether the dashboard watches a run that another process runs (a study's worker): q and Esc leave
  /// without asking, and pause and schedule edits are not offered.
  public var isWatchingOnly = false
  /// Index into the shown data's epochs; nil follows the latest epoch.
  public internal(set) var selectedEpochIndex: Int?
  public internal(set) var focus: PanelID = .loss
  public internal(set) var zoomed: PanelID?
  public let themeNames: [String]
  public internal(set) var themeIndex = 0
  public internal(set) var isHelpVisible = false
  public internal(set) var editor: ScheduleEditor?
  public internal(set) var isConfirmingQuit = false
  /// EMA weight of the loss chart, in [0, 1).
  public internal(set) var smoothing = 0.6
  public internal(set) var isLogScale = false
  public internal(set) var showsValues = false
  public internal(set) var showsWinners = false
  /// A command sent but not yet reported back as applied.
  public internal(set) var pendingCommand: ControlCommand?
  /// A one-line notice in the footer.
  public internal(set) var message: String?
  public var options: RenderOptions
  /// The terminal size, used for which panels Tab visits (the session keeps it up to date).
  public var size: TerminalSize
  /// Seconds between epochs when a replay plays.
  public var replayInterval = 0.5
  var lastReplayAdvance = 0.0
  /// Events that arrived while frozen.
  public internal(set) var eventsSinceFreeze = 0

  /// The smoothing weights `s` and `S` step through.
  public static let smoothingLevels = [0, 0.3, 0.6, 0.8, 0.9, 0.95, 0.98, 0.99]

  /// A model for `mode`, with the theme names for `t` to cycle through.
  public init(
    mode: DashboardMode = .live, themeNames: [String] = ["built-in"], options: RenderOptions = RenderOptions(),
    size: TerminalSize = .minimum, historyCapacity: Int = 2048
  ) {
    self.mode = mode
    self.themeNames = themeNames.isEmpty ? ["built-in"] : themeNames
    self.options = options
    self.size = size
    self.data = RunData(historyCapacity: historyCapacity)
    self.historyCapacity = historyCapacity
    self.isSearchRunning = mode == .live
  }

  /// The data the view shows: frozen, an earlier phase, or the current phase live.
  public var shown: RunData { frozenData ?? viewedPhase.map { earlierPhases[$0] } ?? data }

  /// Every phase of the session, the current one last.
  public var phases: [RunData] { earlierPhases + [data] }

  /// Whether the view is frozen.
  public var isFrozen: Bool { frozenData != nil }

  /// Whether quitting needs a confirmation: a live search that is still running.
  public var isLiveSearchRunning: Bool { mode == .live && isSearchRunning && !data.hasEnded }

  /// The index into `shown.epochs` of the epoch the scrubber selects, nil before the first epoch report.
  public var epochIndex: Int? {
    let count = shown.epochs.count
    guard count > 0 else { return nil }
    return min(max(selectedEpochIndex ?? count - 1, 0), count - 1)
  }

  /// The epoch report the heatmaps, genotype and class panel show.
  public var selectedReport: EpochReport? {
    epochIndex.map { shown.epochs[$0] }
  }

  /// Folds in one event; returns whether the view changed.
  @discardableResult
  public mutating func apply(_ event: RunEvent) -> Bool {
    if case .started(let run) = event, let current = data.started, current.runID != run.runID {
      // The next phase of a pipeline (the training after its search): the search stays viewable with P.
      earlierPhases.append(data)
      data = RunData(historyCapacity: historyCapacity)
      selectedEpochIndex = nil
      if viewedPhase == nil {
        message = "\(current.phaseKind.title) \(current.runID) ended; now \(run.phaseKind.title) (P shows each phase)"
      }
    }
    data.apply(event)
    if case .control(let applied) = event, let pending = pendingCommand, Self.matches(pending, applied.command) {
      pendingCommand = nil
      // Pause and resume show as the badge; an edit's outcome stays in the footer until the next key.
      if case .edit(let edit) = applied.command {
        message =
          applied.reason.map { "edit \($0)" } ?? "edit applied: \(edit.target.title) = \(edit.curve.summary)"
      } else {
        message = nil
      }
    }
    if case .started = event, mode == .replay { selectedEpochIndex = nil }
    if isFrozen {
      eventsSinceFreeze += 1
      return false
    }
    return true
  }

  /// Folds in a sequence of events.
  public mutating func apply(_ events: [RunEvent]) {
    for event in events { apply(event) }
  }

  private static func matches(_ sent: ControlCommand, _ applied: ControlCommand) -> Bool {
    switch (sent, applied) {
    case (.pause, .pause), (.resume, .resume), (.stop, .stop), (.edit, .edit): true
    default: false
    }
  }
}
