import Presentation
import RunEvents

/// The top line: run, method, data set, epoch and step, ETA, throughput and the state badges.
public enum StatusLine {
  /// Seconds left, from the mean duration of the last three epochs (or the latest images/s before the
  /// first epoch ends); nil when unknown or the run has ended.
  public static func eta(_ data: RunData) -> Double? {
    guard let run = data.started, !data.hasEnded, run.stepsPerEpoch > 0 else { return nil }
    let done = data.history.latest.map { $0.globalStep + 1 } ?? data.currentStep
    let remaining = Double(max(data.totalSteps - done, 0))
    let recent = data.epochs.suffix(3).map(\.seconds).filter { $0.isFinite && $0 > 0 }
    if !recent.isEmpty {
      let secondsPerStep = recent.reduce(0, +) / Double(recent.count) / Double(run.stepsPerEpoch)
      return remaining * secondsPerStep
    }
    if let latest = data.history.latest, latest.imagesPerSecond > 0 {
      return remaining * Double(run.batchSize) / latest.imagesPerSecond
    }
    return nil
  }

  /// The badges on the right, most important first: PAUSED (with the engine's reason), FAILED, FINISHED,
  /// FROZEN, REPLAY.
  public static func badges(_ model: DashboardModel) -> [(text: String, style: CellStyle)] {
    let data = model.data
    var badges: [(String, CellStyle)] = []
    let badgeStyle = CellStyle(foreground: .role(.pausedText), background: .role(.paused), attributes: [.bold])
    if let failure = data.failure {
      badges.append(
        (
          " FAILED: \(failure) ",
          CellStyle(foreground: .role(.pausedText), background: .role(.error), attributes: .bold)
        ))
    } else if data.isPaused {
      if let reason = data.pauseReason {
        badges.append((" PAUSED: \(reason) ", badgeStyle))
      } else {
        badges.append((" PAUSED ", badgeStyle))
      }
    } else if let finished = model.shown.finished {  // an earlier phase of a pipeline shows its own end
      badges.append((finished.stopped ? " STOPPED " : " FINISHED ", CellStyle(.good, [.bold, .reverse])))
    }
    if model.isFrozen {
      badges.append((" FROZEN +\(model.eventsSinceFreeze) ", CellStyle(.accent, [.bold, .reverse])))
    }
    if model.mode == .replay {
      let state = model.isReplayPlaying ? (model.options.ascii ? ">" : "▶") : (model.options.ascii ? "||" : "⏸")
      badges.append((" REPLAY \(state) ", CellStyle(.accent, [.bold, .reverse])))
    }
    return badges
  }

  /// Draws the status line on row `rect.y`.
  public static func draw(_ model: DashboardModel, in rect: Rect, on buffer: inout ScreenBuffer) {
    let bar = CellStyle(foreground: .role(.text), background: .role(.statusBar))
    buffer.fill(rect, " ", style: bar)
    let data = model.shown
    var segments: [(text: String, style: CellStyle, priority: Int)] = [("tailnas", bar.adding(.bold), 9)]
    if let run = data.started {
      segments.append(
        (run.runID, CellStyle(foreground: .role(.accent), background: .role(.statusBar), attributes: .bold), 8))
      if run.isTraining {
        // The phase, the architecture's origin and recipe, and the size without the auxiliary head.
        segments.append(("train", bar.adding(.bold), 8))
        segments.append(("\(run.method) cells, \(run.recipe ?? "plain") recipe", bar, 7))
        if let count = run.parameterCount { segments.append(("\(Format.parameters(count)) params", bar, 3)) }
      } else {
        segments.append((run.method, bar, 7))
      }
      segments.append(("\(run.dataset) rho \(Format.number(run.imbalanceRatio))", bar, 2))
      let latest = data.history.latest
      let epoch = latest.map { $0.epoch + 1 } ?? (data.epochs.last.map { $0.epoch + 1 } ?? run.startEpoch)
      segments.append(("epoch \(epoch)/\(run.epochs)", bar.adding(.bold), 9))
      if let latest {
        segments.append(("step \(latest.step + 1)/\(run.stepsPerEpoch)", bar, 4))
      }
      if let eta = eta(data) { segments.append(("ETA \(Format.duration(eta))", bar, 6)) }
      if let latest { segments.append(("\(Format.number(latest.imagesPerSecond)) img/s", bar, 5)) }
    } else {
      segments.append(
        ("waiting for the run to start", CellStyle(foreground: .role(.muted), background: .role(.statusBar)), 8))
    }
    let badges = badges(model)
    let badgeWidth = badges.reduce(0) { $0 + $1.text.count + 1 }
    let separator = model.options.ascii ? " | " : " │ "
    var kept = segments
    func width(_ s: [(text: String, style: CellStyle, priority: Int)]) -> Int {
      s.reduce(1) { $0 + $1.text.count } + max(s.count - 1, 0) * separator.count
    }
    while width(kept) > rect.width - badgeWidth, kept.count > 1,
      let lowest = kept.indices.min(by: { kept[$0].priority < kept[$1].priority })
    {
      kept.remove(at: lowest)
    }
    var x = rect.x + 1
    for (i, segment) in kept.enumerated() {
      if i > 0 {
        x = buffer.put(
          separator, x: x, y: rect.y, style: CellStyle(foreground: .role(.muted), background: .role(.statusBar)))
      }
      x = buffer.put(segment.text, x: x, y: rect.y, style: segment.style, maxWidth: max(rect.maxX - badgeWidth - x, 0))
    }
    var right = rect.maxX
    for badge in badges {
      let text = Format.truncate(badge.text, max(right - rect.x - 1, 0), ascii: model.options.ascii)
      right -= text.count
      buffer.put(text, x: right, y: rect.y, style: badge.style)
      right -= 1
    }
  }
}
