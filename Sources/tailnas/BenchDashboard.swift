import ArgumentParser
import Dashboard
import Foundation
import RunEvents
import SyntheticRuns

/// `tailnas bench dashboard`: time to render one dashboard frame (layout, widgets and the diff against the
/// previous frame) over a long recorded run; medians of several rounds.
struct BenchDashboard: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dashboard", abstract: "Time rendering dashboard frames; JSON on stdout.")

  @Option(help: "Terminal width.") var width = 200
  @Option(help: "Terminal height.") var height = 60
  @Option(help: "Frames per round.") var frames = 200
  @Option(help: "Rounds; the median is reported.") var rounds = 5

  func validate() throws {
    guard width >= 20, height >= 10, frames > 0, rounds > 0 else {
      throw ValidationError("--width >= 20, --height >= 10, --frames and --rounds positive")
    }
  }

  func run() throws {
    let size = TerminalSize(width: width, height: height)
    var run = SyntheticRun()
    run.epochs = 50
    run.finishedEpochs = 50
    run.stepsPerEpoch = 400
    run.pauses = [10_000]
    run.edits = [(10_000, ScheduleEdit(target: .mu, curve: .linear(from: 1, to: 0.2)))]
    let events = run.events()
    let times = (0..<rounds).map { _ in
      DashboardBenchmark.run(events: events, size: size, frames: frames).millisecondsPerFrame
    }
    .sorted()
    let result: [String: Any] = [
      "size": "\(width)x\(height)", "frames": frames, "rounds": rounds,
      "median_ms_per_frame": times[times.count / 2], "min_ms_per_frame": times[0],
    ]
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
  }
}
