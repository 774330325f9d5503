import Presentation

/// Draws a `DashboardModel` into a `ScreenBuffer`: pure, so snapshot tests and the terminal share it.
public enum DashboardRenderer {
  /// The message shown instead of the layout when the terminal is too small.
  public static func tooSmallMessage(_ size: TerminalSize) -> String {
    "terminal is \(size); tailnas needs at least \(TerminalSize.minimum)"
  }

  /// A new buffer of `size` with the model drawn into it.
  public static func render(_ model: DashboardModel, size: TerminalSize) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: size.width, height: size.height)
    render(model, into: &buffer)
    return buffer
  }

  /// Draws the model over the whole of `buffer`.
  public static func render(_ model: DashboardModel, into buffer: inout ScreenBuffer) {
    buffer.clip = buffer.bounds
    buffer.fill(buffer.bounds)
    guard let layout = DashboardLayout.make(size: buffer.size, zoomed: model.zoomed, cellGraphs: model.shown.isTraining)
    else {
      drawTooSmall(buffer.size, on: &buffer)
      return
    }
    StatusLine.draw(model, in: layout.status, on: &buffer)
    for (panel, rect) in layout.panels.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      let focused = panel == model.focus
      buffer.clipped(to: rect) { buffer in
        switch panel {
        case .loss: LossPanel.draw(model, in: rect, focused: focused, on: &buffer)
        case .accuracy: AccuracyPanel.draw(model, in: rect, focused: focused, on: &buffer)
        case .alphas:
          if model.shown.isTraining {
            CellsPanel.draw(model, in: rect, focused: focused, on: &buffer)
          } else {
            HeatmapPanel.draw(model, in: rect, focused: focused, on: &buffer)
          }
        case .schedules: SchedulePanel.draw(model, in: rect, focused: focused, on: &buffer)
        case .genotype: GenotypePanel.draw(model, in: rect, focused: focused, on: &buffer)
        case .classes: ClassPanel.draw(model, in: rect, focused: focused, on: &buffer)
        }
      }
    }
    drawFooter(model, layout: layout, on: &buffer)
    if let form = model.editor {
      Overlays.drawEditor(form, model: model, in: layout.body, on: &buffer)
    } else if model.isConfirmingQuit {
      Overlays.drawQuitPrompt(model, in: layout.body, on: &buffer)
    } else if model.isHelpVisible {
      Overlays.drawHelp(model, in: layout.body, on: &buffer)
    }
  }

  static func drawTooSmall(_ size: TerminalSize, on buffer: inout ScreenBuffer) {
    let lines =
      Format.wrap(tooSmallMessage(size), width: max(size.width - 2, 1)) + ["", "enlarge the window, or q to quit"]
    let top = max((size.height - lines.count) / 2, 0)
    for (i, line) in lines.enumerated() {
      let x = max((size.width - line.count) / 2, 0)
      buffer.put(line, x: x, y: top + i, style: i < lines.count - 2 ? CellStyle(.warning, .bold) : .muted)
    }
  }

  /// The key hints of the footer, from the keymap.
  static func hints(_ model: DashboardModel) -> String {
    let context: KeyContext = model.mode == .replay ? .replay : .dashboard
    var actions: [(DashboardAction, String)] = []
    if model.mode == .replay {
      actions.append((.toggleReplay, "play"))
    } else if model.isWatchingOnly {
      // Another process runs it: no pause or edits here; q and Esc go back.
    } else {
      actions.append((.togglePause, model.data.isPaused ? "resume" : "pause"))
      actions.append((.openEditor, "edit"))
    }
    actions += [
      (.toggleHelp, "help"), (.quit, model.isWatchingOnly ? "back" : "quit"), (.scrubBack, "epoch"),
      (.focusNext, "focus"), (.zoom, "zoom"),
      (.toggleWinners, "winners"), (.toggleFreeze, model.isFrozen ? "unfreeze" : "freeze"), (.cycleTheme, "theme"),
    ]
    return actions.map { action, word in
      let binding = Keymap.bindings.first { $0.action == action && ($0.context == context || $0.context == .dashboard) }
      var label = binding?.label ?? "?"
      if action == .scrubBack { label = model.options.ascii ? "Left/Right" : "←/→" }
      if action == .zoom { label = "1-\(PanelID.allCases.count)" }
      return "\(label) \(word)"
    }.joined(separator: "  ")
  }

  static func drawFooter(_ model: DashboardModel, layout: DashboardLayout, on buffer: inout ScreenBuffer) {
    let rect = layout.footer
    if let message = model.message {
      buffer.put(
        Format.truncate(message, rect.width - 1, ascii: model.options.ascii), x: rect.x + 1, y: rect.y,
        style: CellStyle(.accent, .bold))
      return
    }
    if model.mode == .live && !model.isSearchRunning && model.data.started != nil {
      let text = model.data.failure != nil ? "the search failed; q quits" : "the search has ended; q quits"
      buffer.put(text, x: rect.x + 1, y: rect.y, style: CellStyle(.good, .bold))
      return
    }
    buffer.put(
      Format.truncate(hints(model), rect.width - 1, ascii: model.options.ascii), x: rect.x + 1, y: rect.y, style: .muted
    )
  }
}
