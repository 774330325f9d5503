import Foundation
import Presentation

/// The study view's state: one row per run of a study, the aggregate table and the selection. A value, like
/// `DashboardModel`: the caller refreshes `rows` and `summary` from the study directory, `update(_:)` handles
/// a key, `StudyViewRenderer` draws it. It knows nothing of the engine or the run store.
public struct StudyView: Sendable, Equatable {
  /// One run as the view shows it.
  public struct Row: Sendable, Equatable {
    /// The run's values of the grid's axes, in `StudyView.axes` order.
    public var values: [String]
    public var id: String
    /// `search`, `train` or "" before the run started.
    public var phase: String
    /// Epochs done and planned in the current phase.
    public var epoch: Int
    public var epochs: Int
    /// The whole run's progress, 0...1 (the search and the training each count by their epochs).
    public var progress: Double
    public var searchTop1: Double?
    public var trainedTop1: Double?
    /// `not started`, `running`, `stopped`, `interrupted`, `to train`, `finished`, `failed`.
    public var state: String

    public init(
      values: [String], id: String, phase: String, epoch: Int, epochs: Int, progress: Double, searchTop1: Double?,
      trainedTop1: Double?, state: String
    ) {
      self.values = values
      self.id = id
      self.phase = phase
      self.epoch = epoch
      self.epochs = epochs
      self.progress = progress
      self.searchTop1 = searchTop1
      self.trainedTop1 = trainedTop1
      self.state = state
    }
  }

  /// What the caller must do after a key.
  public enum Effect: Sendable, Equatable {
    /// Open run `rows[index]` in the dashboard.
    case open(Int)
    case quit
    case redraw
  }

  public var name: String
  /// The labels of the grid's axes.
  public var axes: [String]
  public var rows: [Row] = []
  /// The aggregate table (the study report's), one line per entry.
  public var summary: [String] = []
  public var selection = 0
  /// A line shown above the key help (e.g. why a run cannot be opened).
  public var message: String?
  public var options: RenderOptions
  public var size: TerminalSize

  public init(name: String, axes: [String], options: RenderOptions, size: TerminalSize) {
    self.name = name
    self.axes = axes
    self.options = options
    self.size = size
  }

  /// Replaces the rows, keeping the selection on the same run.
  public mutating func refresh(rows: [Row], summary: [String]) {
    let selected = self.rows.indices.contains(selection) ? self.rows[selection].id : nil
    self.rows = rows
    self.summary = summary
    if let selected, let index = rows.firstIndex(where: { $0.id == selected }) { selection = index }
    selection = min(max(selection, 0), max(rows.count - 1, 0))
  }

  /// Handles a key: up/down (k/j), Home/End move the selection, Enter opens the selected run,
  /// q quits.
  public mutating func update(_ key: Key) -> Effect? {
    message = nil
    switch key {
    case .up, .character("k"): selection = max(selection - 1, 0)
    case .down, .character("j"): selection = min(selection + 1, max(rows.count - 1, 0))
    case .home: selection = 0
    case .end: selection = max(rows.count - 1, 0)
    case .enter:
      guard rows.indices.contains(selection) else { return .redraw }
      guard rows[selection].state != "not started" else {
        message = "\(rows[selection].id) has not started yet"
        return .redraw
      }
      return .open(selection)
    case .character("q"): return .quit
    case .resize: return .redraw
    default: return nil
    }
    return .redraw
  }

  /// Counts per state, e.g. `3 finished, 2 running, 5 not started`.
  public var counts: String {
    var order: [String] = []
    var count: [String: Int] = [:]
    for row in rows {
      if count[row.state] == nil { order.append(row.state) }
      count[row.state, default: 0] += 1
    }
    return order.map { "\(count[$0]!) \($0)" }.joined(separator: ", ")
  }
}
