import Architecture
import Presentation
import RunEvents

/// Panel 6: long-tailed training count per class beside its test accuracy at the selected epoch, with the
/// shot group of each class.
enum ClassPanel {
  static func draw(_ model: DashboardModel, in rect: Rect, focused: Bool, on buffer: inout ScreenBuffer) {
    let data = model.shown
    let report = model.selectedReport
    let at = report.map { " @ epoch \($0.epoch + 1)" } ?? ""
    let titles = ["classes: train count | test acc\(at)", "classes: count | test acc\(at)", "classes\(at)", "classes"]
    let inner = PanelFrame.draw(
      .classes, in: rect, titles: titles, focused: focused, ascii: model.options.ascii, on: &buffer)
    guard let run = data.started, !run.classCounts.isEmpty else {
      buffer.put("waiting for the run to start", x: inner.x + 1, y: inner.y, style: .muted)
      return
    }
    let ascii = model.options.ascii
    var y = inner.y
    if let report {
      var x = inner.x
      for group in ["many", "medium", "few"] {
        guard let accuracy = report.groupAccuracy[group] else { continue }
        x = buffer.put("\(group) \(Format.percent(accuracy))  ", x: x, y: y, style: CellStyle(groupRole(group), .bold))
      }
      x = buffer.put("overall \(Format.percent(report.test.accuracy))", x: x, y: y, style: CellStyle(.overall, .bold))
      y += 1
    }
    let nameWidth = min(max(run.classNames.map(\.count).max() ?? 1, 3), 10)
    let countWidth = max(String(run.classCounts.max() ?? 0).count, 3)
    // name count-bar count | acc-bar acc group
    let fixed = nameWidth + 1 + 1 + countWidth + 3 + 1 + 6 + 1 + 6
    let barWidth = max((inner.width - fixed) / 2, 1)
    let maxCount = Double(max(run.classCounts.max() ?? 1, 1))
    let available = inner.maxY - y
    let count = run.classCounts.count
    let shown = count > available ? max(available - 1, 0) : count
    for i in 0..<shown {
      let name = i < run.classNames.count ? run.classNames[i] : String(i)
      let group = i < run.shotGroups.count ? run.shotGroups[i] : ""
      let role = groupRole(group)
      var x = buffer.put(Format.truncate(name, nameWidth, ascii: ascii), x: inner.x, y: y, style: .text)
      x = inner.x + nameWidth + 1
      x = bar(
        Double(run.classCounts[i]) / maxCount, width: barWidth, x: x, y: y, style: CellStyle(role), ascii: ascii,
        on: &buffer)
      let countText = String(run.classCounts[i])
      x = buffer.put(
        String(repeating: " ", count: countWidth + 1 - countText.count) + countText, x: x, y: y, style: .text)
      x = buffer.put(ascii ? " | " : " │ ", x: x, y: y, style: CellStyle(.border))
      let accuracy = report.flatMap { i < $0.perClassAccuracy.count ? $0.perClassAccuracy[i] : nil } ?? .nan
      x = bar(
        accuracy.isFinite ? accuracy : 0, width: barWidth, x: x, y: y, style: CellStyle(.good), ascii: ascii,
        on: &buffer)
      let accuracyText = accuracy.isFinite ? Format.percent(accuracy) : "-"
      x = buffer.put(
        String(repeating: " ", count: max(7 - accuracyText.count, 0)) + accuracyText, x: x, y: y, style: .text)
      buffer.put(" " + group, x: x, y: y, style: CellStyle(role))
      y += 1
    }
    if shown < count {
      buffer.put("+\(count - shown) more classes, zoom (6)", x: inner.x, y: y, style: .muted)
    }
  }

  static func groupRole(_ group: String) -> ColorRole {
    switch group {
    case "many": .many
    case "medium": .medium
    case "few": .few
    default: .text
    }
  }

  /// A horizontal bar of `fraction` of `width` cells, with eighth blocks (or `#` in ASCII mode).
  @discardableResult
  static func bar(
    _ fraction: Double, width: Int, x: Int, y: Int, style: CellStyle, ascii: Bool, on buffer: inout ScreenBuffer
  ) -> Int {
    let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    let eighths = Int((f * Double(width * 8)).rounded())
    let partials: [Character] = [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    for i in 0..<width {
      let filled = eighths - i * 8
      let character: Character
      if filled >= 8 {
        character = ascii ? "#" : "█"
      } else if filled > 0 {
        character = ascii ? (filled >= 4 ? "#" : ".") : partials[filled]
      } else {
        character = ascii ? "." : " "
      }
      buffer.set(x + i, y, character, character == "." || character == " " ? CellStyle(.muted) : style)
    }
    return x + width
  }
}
