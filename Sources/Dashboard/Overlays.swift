import Presentation
import RunEvents

/// The boxes drawn over the layout: help, the schedule edit form and the quit confirmation.
enum Overlays {
  static func centeredBox(width: Int, height: Int, in bounds: Rect) -> Rect {
    let w = min(width, bounds.width)
    let h = min(height, bounds.height)
    return Rect(x: bounds.x + (bounds.width - w) / 2, y: bounds.y + (bounds.height - h) / 2, width: w, height: h)
  }

  static func frame(_ rect: Rect, title: String, ascii: Bool, on buffer: inout ScreenBuffer) -> Rect {
    buffer.fill(rect, " ", style: CellStyle(foreground: .role(.text), background: .role(.overlay)))
    let style = CellStyle(.focus, .bold, background: .role(.overlay))
    buffer.box(rect, title: title, style: style, titleStyle: style, ascii: ascii)
    return rect.insetBy(dx: 2, dy: 1)
  }

  /// The help title.
  static let helpTitle = "tailnas keys (any key closes)"

  /// The help overlay, generated from `Keymap.bindings`.
  static func drawHelp(_ model: DashboardModel, in bounds: Rect, on buffer: inout ScreenBuffer) {
    var lines: [(String, String)] = []
    for context in KeyContext.allCases {
      if context == .replay && model.mode != .replay { continue }
      if !lines.isEmpty { lines.append(("", "")) }
      lines.append((context.rawValue, ""))
      for binding in Keymap.bindings(in: context) {
        let label =
          model.options.ascii
          ? binding.label
          : binding.label.replacingOccurrences(of: "Left", with: "←")
            .replacingOccurrences(of: "Right", with: "→").replacingOccurrences(of: "Up", with: "↑")
            .replacingOccurrences(of: "Down", with: "↓")
        lines.append((label, binding.summary))
      }
    }
    let rowsAvailable = bounds.height - 2
    let columns = lines.count > rowsAvailable ? 2 : 1
    let perColumn = (lines.count + columns - 1) / columns
    let box = centeredBox(width: columns == 1 ? 64 : bounds.width, height: perColumn + 2, in: bounds)
    let inner = frame(box, title: helpTitle, ascii: model.options.ascii, on: &buffer)
    let columnWidth = inner.width / columns
    let background = CellColor.role(.overlay)
    for (i, line) in lines.enumerated() {
      let x = inner.x + (i / perColumn) * columnWidth
      let y = inner.y + i % perColumn
      guard y < inner.maxY else { continue }
      if line.1.isEmpty {
        buffer.put(line.0, x: x, y: y, style: CellStyle(.title, [.bold, .underline], background: background))
      } else {
        buffer.put(line.0, x: x, y: y, style: CellStyle(.accent, .bold, background: background), maxWidth: 11)
        buffer.put(
          Format.truncate(line.1, columnWidth - 13, ascii: model.options.ascii), x: x + 12, y: y,
          style: CellStyle(.text, background: background))
      }
    }
  }

  /// The quit confirmation title.
  static let quitTitle = "quit tailnas?"

  static func drawQuitPrompt(_ model: DashboardModel, in bounds: Rect, on buffer: inout ScreenBuffer) {
    let box = centeredBox(width: 74, height: 7, in: bounds)
    let inner = frame(box, title: quitTitle, ascii: model.options.ascii, on: &buffer)
    let background = CellColor.role(.overlay)
    let runID = model.data.started?.runID ?? "RUN"
    buffer.put(
      "The search is still running. Quitting stops it at the next step;", x: inner.x, y: inner.y,
      style: CellStyle(.text, background: background))
    buffer.put(
      "the run stays resumable:  tailnas resume \(runID)", x: inner.x, y: inner.y + 1,
      style: CellStyle(.text, background: background))
    buffer.put("Quit now? (y/n)", x: inner.x, y: inner.y + 3, style: CellStyle(.warning, .bold, background: background))
  }

  /// The edit form title.
  static let editTitle = "edit schedule"

  static func drawEditor(_ form: ScheduleEditor, model: DashboardModel, in bounds: Rect, on buffer: inout ScreenBuffer)
  {
    let ascii = model.options.ascii
    let box = centeredBox(width: 72, height: 20, in: bounds)
    let inner = frame(box, title: editTitle, ascii: ascii, on: &buffer)
    let background = CellColor.role(.overlay)
    let label = CellStyle(.muted, background: background)
    func fieldStyle(_ field: ScheduleEditor.Field) -> CellStyle {
      form.field == field
        ? CellStyle(.focus, [.bold, .reverse], background: background) : CellStyle(.text, .bold, background: background)
    }
    let (left, right) = ascii ? ("<", ">") : ("◀", "▶")
    var y = inner.y
    buffer.put("target", x: inner.x, y: y, style: label)
    buffer.put("\(left) \(form.target.title) \(right)", x: inner.x + 8, y: y, style: fieldStyle(.target))
    y += 1
    buffer.put("kind", x: inner.x, y: y, style: label)
    buffer.put("\(left) \(form.kind.rawValue) \(right)", x: inner.x + 8, y: y, style: fieldStyle(.kind))
    y += 1
    let names = form.kind.parameterCount == 1 ? ["value"] : ["from", "to"]
    for (i, name) in names.enumerated().prefix(form.kind.parameterCount) {
      let field: ScheduleEditor.Field = i == 0 ? .first : .second
      buffer.put(name, x: inner.x, y: y, style: label)
      let text = form.numbers[i] + (form.field == field ? "_" : "")
      buffer.put(
        "[" + text.padding(toLength: 12, withPad: " ", startingAt: 0) + "]", x: inner.x + 8, y: y,
        style: fieldStyle(field))
      y += 1
    }
    if form.kind.parameterCount == 0 {
      buffer.put("(no numbers: follows \(form.kind == .mu ? "mu" : "1 - mu"))", x: inner.x + 8, y: y, style: label)
      y += 1
    }
    buffer.put("now", x: inner.x, y: y, style: label)
    buffer.put(
      form.schedules.curve(for: form.target).summary, x: inner.x + 8, y: y,
      style: CellStyle(.text, background: background))
    y += 1
    if let error = form.errorText {
      buffer.put(
        "error: " + error, x: inner.x, y: y, style: CellStyle(.error, .bold, background: background),
        maxWidth: inner.width)
    } else {
      buffer.put("ok: applies at the next step", x: inner.x, y: y, style: CellStyle(.good, background: background))
    }
    y += 1
    let footer = "Enter apply  Esc cancel  Tab field  \(ascii ? "Left/Right" : "←/→") choose"
    buffer.put(footer, x: inner.x, y: inner.maxY - 1, style: CellStyle(.accent, background: background))
    let preview = form.preview
    var chart = LineChart()
    chart.ascii = ascii
    let xs = preview.old.indices.map(Double.init)
    chart.xRange = 0...Double(max(form.epochs, 1))
    chart.series.append(
      ChartSeries(name: "planned now", xs: xs, ys: preview.old, style: CellStyle(.planned, .dim), asciiGlyph: "."))
    if let new = preview.new {
      chart.series.append(
        ChartSeries(name: "after edit", xs: xs, ys: new, style: CellStyle(.accent, .bold), asciiGlyph: "*"))
    }
    let previewRect = Rect(x: inner.x, y: y + 1, width: inner.width, height: inner.maxY - 2 - y)
    if previewRect.height >= 4 {
      buffer.put("preview (\(form.target.title) by epoch)", x: inner.x, y: y, style: label)
      chart.draw(in: previewRect, on: &buffer)
    }
  }
}
