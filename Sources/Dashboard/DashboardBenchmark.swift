import Foundation
import RunEvents

/// Measures how long rendering a frame takes, for `tailnas bench` or a quick check in a release build.
public enum DashboardBenchmark {
  /// The result of a benchmark.
  public struct Result: Sendable, Equatable {
    public var size: TerminalSize
    public var frames: Int
    /// Mean wall time of `DashboardRenderer.render` plus the diff against the previous frame.
    public var millisecondsPerFrame: Double
    /// Steps in the history drawn.
    public var steps: Int
    /// Runs of changed cells the frames sent, over all frames.
    public var changedCells: Int
  }

  /// Renders `frames` frames of the run of `events` (e.g. a synthetic 50-epoch, 20 000-step four-component
  /// run) at `size` (after a warm-up frame), alternating the scrubbed epoch so each frame differs, and
  /// returns the mean time.
  public static func run(
    events: [RunEvent], size: TerminalSize = TerminalSize(width: 200, height: 60), frames: Int = 200
  )
    -> Result
  {
    var model = DashboardModel(mode: .replay, size: size)
    model.apply(events)
    var buffer = ScreenBuffer(width: size.width, height: size.height)
    DashboardRenderer.render(model, into: &buffer)
    var previous = buffer
    var runs = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for frame in 0..<max(frames, 1) {
      _ = model.update(frame % 2 == 0 ? .left : .right)
      DashboardRenderer.render(model, into: &buffer)
      runs += buffer.changes(from: previous).count
      previous = buffer
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    return Result(
      size: size, frames: max(frames, 1), millisecondsPerFrame: elapsed / Double(max(frames, 1)),
      steps: model.data.history.count, changedCells: runs)
  }
}
