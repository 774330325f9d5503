import Foundation
import Presentation
import Reports
import Study

/// A study's runs as text: a table of every run, and a one-line count of their states.
enum StudyProgress {
  /// `study quick: 3 finished, 1 running, 6 missing (of 10)`, from the runs' states.
  static func line(study: Study, states: [StudyRunState]) -> String {
    let words = states.map(\.word)
    let order = ["finished", "running", "to train", "stopped", "interrupted", "failed", "missing"]
    let parts = order.compactMap { word -> String? in
      let n = words.filter { $0 == word }.count
      return n > 0 ? "\(n) \(word)" : nil
    }
    return "study \(study.name): " + parts.joined(separator: ", ") + " (of \(states.count))"
  }

  /// `[██████░░░░░░░░░░░░░░░░░░]  25% of the study's epochs, 4m10s, ETA 12m30s`.
  static func bar(_ progress: Double, elapsed: Double, width: Int = 24) -> String {
    let clamped = min(max(progress, 0), 1)
    let filled = Int((clamped * Double(width)).rounded(.down))
    let eta = clamped > 0.01 ? ", ETA \(Format.duration(elapsed / clamped * (1 - clamped)))" : ""
    return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "] "
      + String(format: "%3d%%", Int(clamped * 100)) + " of the study's epochs, \(Format.duration(elapsed))" + eta
  }

  /// One row per run: index, grid values, id, state (`states[i]` is the state of `runs[i]`).
  static func table(runs: [StudyRun], states: [StudyRunState]) -> String {
    let labels = runs.first?.values.map(\.label) ?? []
    let rows = zip(runs, states).map { run, state in
      ["\(run.index)"] + run.values.map(\.value.plain) + [run.id, StudyExecution.describe(state)]
    }
    return TextTable(header: ["job"] + labels + ["run", "state"], rows: rows, rightAligned: [0]).text
  }
}
