import Foundation
import Presentation
import RunEvents

#if canImport(Glibc)
  import Glibc
#endif

/// Prints a headless search's progress: a redrawn progress bar on a terminal, plain lines otherwise.
final class ConsoleProgress: EventSink, @unchecked Sendable {
  private let isTerminal: Bool
  private let lock = NSLock()
  private var started: RunStarted?
  private var startTime = Date()
  private var firstStep: Int?
  private var lastPlainLine = Date.distantPast
  private var barVisible = false

  init(isTerminal: Bool = isatty(STDOUT_FILENO) == 1) {
    self.isTerminal = isTerminal
  }

  func emit(_ event: RunEvent) {
    lock.lock()
    defer { lock.unlock() }
    switch event {
    case .started(let s):
      started = s
      startTime = Date()
      let what =
        s.isTraining
        ? "training \(s.method == "train" ? "a given genotype" : "the \(s.method) search's cells")"
          + " with the \(s.recipe ?? "plain") recipe"
          + (s.parameterCount.map { " (\(Format.parameters($0)) parameters)" } ?? "")
        : s.method
      line(
        "run \(s.runID): \(what) on \(s.dataset) (imbalance ratio \(Format.ratio(s.imbalanceRatio))), "
          + "\(Format.count(s.epochs, "epoch")) x \(Format.count(s.stepsPerEpoch, "step")), batch \(s.batchSize)"
          + (s.startEpoch > 0 ? ", resuming at epoch \(s.startEpoch + 1)" : ""))
    case .step(let r):
      guard let s = started else { return }
      if firstStep == nil { firstStep = r.globalStep }
      let total = s.epochs * s.stepsPerEpoch
      let done = r.globalStep + 1
      let elapsed = Date().timeIntervalSince(startTime)
      let doneHere = done - (firstStep ?? 0)
      let eta = doneHere > 0 ? elapsed / Double(doneHere) * Double(total - done) : 0
      var parts = [
        "epoch \(r.epoch + 1)/\(s.epochs)", "step \(r.step + 1)/\(s.stepsPerEpoch)",
        "loss \(Format.fixed(r.trainLoss))",
      ]
      if let v = r.validationLoss { parts.append("val \(Format.fixed(v))") }
      if let a = r.auxiliaryLoss { parts.append("aux \(Format.fixed(a))") }
      if s.components.contains(.instance) || s.recipe == "bbn" { parts.append("mu \(Format.fixed(r.values.mu))") }
      if let p = r.values.dropPath { parts.append("drop \(Format.fixed(p, digits: 3))") }
      parts += ["\(Int(r.imagesPerSecond.rounded())) img/s", "ETA \(Format.duration(eta))"]
      let text = parts.joined(separator: " ")
      if isTerminal {
        let width = 24
        let filled = total > 0 ? min(width, width * done / total) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardOutput.write(Data("\r\u{1B}[K[\(bar)] \(text)".utf8))
        barVisible = true
      } else if Date().timeIntervalSince(lastPlainLine) >= 5 || r.step + 1 == s.stepsPerEpoch {
        lastPlainLine = Date()
        line(text)
      }
    case .epoch(let e):
      let groups = ["many", "medium", "few"].map { "\($0) \(Format.percent(e.groupAccuracy[$0] ?? 0))" }.joined(
        separator: " ")
      func split(_ name: String, _ m: SplitMetrics) -> String {
        "\(name) loss \(Format.fixed(m.loss)) acc \(Format.percent(m.accuracy))"
      }
      let splits =
        [split("train", e.train)] + (e.validation.map { [split("val", $0)] } ?? [])
        + [split("test", e.test) + " (\(groups))"]
      line("epoch \(e.epoch + 1): " + splits.joined(separator: ", ") + ", \(Format.duration(e.seconds))")
    case .control(let c):
      line("control: \(describe(c.command))" + (c.reason.map { " (\($0))" } ?? ""))
    case .checkpoint:
      break
    case .finished(let f):
      line(
        "\(f.stopped ? "stopped" : "finished") after \(Format.count(f.epochs, "epoch")); best test accuracy "
          + "\(Format.percent(f.bestTestAccuracy)) at epoch \(f.bestEpoch + 1)")
    case .failed(let f):
      line("failed: \(f.reason)")
    }
  }

  /// Ends the progress bar line if one is showing.
  func finishLine() {
    lock.lock()
    defer { lock.unlock() }
    if barVisible {
      FileHandle.standardOutput.write(Data("\n".utf8))
      barVisible = false
    }
  }

  private func line(_ text: String) {
    let prefix = barVisible ? "\r\u{1B}[K" : ""
    barVisible = false
    FileHandle.standardOutput.write(Data((prefix + text + "\n").utf8))
  }
}

func describe(_ command: ControlCommand) -> String {
  switch command {
  case .pause: "pause"
  case .resume: "resume"
  case .stop: "stop"
  case .edit(let e): "\(e.target.title) -> \(e.curve.summary)"
  }
}
