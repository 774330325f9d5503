import Foundation
import Presentation

/// Draws a `StudyView`: a title line with the counts per state, one line per run (its grid values, id,
/// phase, epoch, a progress bar, search and trained top-1, state; the selected one highlighted, scrolled to
/// stay visible), the aggregate table below, and the keys on the last line.
public enum StudyViewRenderer {
  /// The smallest terminal the view draws in.
  public static let minimumSize = TerminalSize(width: 60, height: 12)

  public static func render(_ view: StudyView, into buffer: inout ScreenBuffer) {
    buffer.fill(buffer.bounds, " ", style: .plain)
    let width = buffer.width
    let height = buffer.height
    guard width >= minimumSize.width, height >= minimumSize.height else {
      _ = buffer.put(
        "terminal too small: \(width)x\(height), the study view needs \(minimumSize.width)x\(minimumSize.height)",
        x: 0, y: 0, style: CellStyle(.warning, [.bold]), maxWidth: width)
      return
    }
    let bar = CellStyle(foreground: .role(.text), background: .role(.statusBar))
    buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), " ", style: bar)
    var x = buffer.put("tailnas study \(view.name)", x: 1, y: 0, style: bar.adding(.bold), maxWidth: width - 2)
    x += 2
    _ = buffer.put("\(view.rows.count) runs: \(view.counts)", x: x, y: 0, style: bar, maxWidth: width - x - 1)

    let summaryHeight = view.summary.isEmpty ? 0 : min(view.summary.count + 1, max((height - 4) / 2, 3))
    let tableTop = 1
    let tableHeight = height - 2 - summaryHeight - (view.message == nil ? 0 : 1)
    drawRuns(view, in: Rect(x: 0, y: tableTop, width: width, height: tableHeight), on: &buffer)

    var y = tableTop + tableHeight
    if summaryHeight > 0 {
      let rule = String(repeating: view.options.ascii ? "-" : "─", count: width)
      _ = buffer.put(rule, x: 0, y: y, style: CellStyle(.border), maxWidth: width)
      _ = buffer.put(" mean ± std over seeds ", x: 2, y: y, style: CellStyle(.title, [.bold]), maxWidth: width - 4)
      for (offset, line) in view.summary.prefix(summaryHeight - 1).enumerated() {
        _ = buffer.put(
          line, x: 1, y: y + 1 + offset, style: offset == 0 ? CellStyle(.muted, [.bold]) : .text, maxWidth: width - 2)
      }
      y += summaryHeight
    }
    if let message = view.message {
      _ = buffer.put(message, x: 1, y: y, style: CellStyle(.warning), maxWidth: width - 2)
    }
    let keys = "↑↓ select   Enter open the run (Esc or q comes back)   q stop the study (it resumes when run again)"
    _ = buffer.put(
      view.options.ascii ? keys.replacingOccurrences(of: "↑↓", with: "up/down") : keys, x: 1, y: height - 1,
      style: .muted, maxWidth: width - 2)
  }

  static func percent(_ value: Double?) -> String { value.map { Format.percent($0, digits: 1) } ?? "-" }

  static func drawRuns(_ view: StudyView, in rect: Rect, on buffer: inout ScreenBuffer) {
    let header = view.axes + ["run", "phase", "epoch", "progress", "search", "trained", "state"]
    let barWidth = 12
    let cells = view.rows.map { row -> [String] in
      let epoch = row.phase.isEmpty ? "-" : "\(row.epoch)/\(row.epochs)"
      return row.values + [
        row.id, row.phase.isEmpty ? "-" : row.phase, epoch, "", percent(row.searchTop1), percent(row.trainedTop1),
        row.state,
      ]
    }
    var widths = header.map(\.count)
    for row in cells { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
    let progressColumn = view.axes.count + 3
    widths[progressColumn] = max(widths[progressColumn], barWidth + 5)
    func xs() -> [Int] {
      var positions: [Int] = []
      var x = 2
      for w in widths {
        positions.append(x)
        x += w + 2
      }
      return positions
    }
    let columns = xs()
    for (index, title) in header.enumerated() where columns[index] < rect.maxX {
      _ = buffer.put(
        title, x: columns[index], y: rect.y, style: CellStyle(.title, [.bold]), maxWidth: rect.maxX - columns[index])
    }
    let visible = max(rect.height - 1, 1)
    let first = min(max(view.selection - visible + 1, 0), max(view.rows.count - visible, 0))
    for (line, rowIndex) in (first..<min(first + visible, view.rows.count)).enumerated() {
      let y = rect.y + 1 + line
      let row = view.rows[rowIndex]
      let selected = rowIndex == view.selection
      let base: CellStyle = selected ? CellStyle(.focus, [.reverse, .bold]) : .text
      if selected {
        buffer.fill(Rect(x: 0, y: y, width: rect.width, height: 1), " ", style: base)
        _ = buffer.put(view.options.ascii ? ">" : "▶", x: 0, y: y, style: base)
      }
      for (index, cell) in cells[rowIndex].enumerated() where columns[index] < rect.maxX {
        var style = base
        if !selected, index == cells[rowIndex].count - 1 {
          style = CellStyle(
            row.state == "failed"
              ? .error : (row.state == "finished" ? .good : (row.state == "running" ? .accent : .muted)))
        }
        _ = buffer.put(cell, x: columns[index], y: y, style: style, maxWidth: rect.maxX - columns[index])
      }
      let bx = columns[progressColumn]
      guard bx + barWidth + 5 <= rect.maxX else { continue }
      let filled = Int((min(max(row.progress, 0), 1) * Double(barWidth)).rounded(.down))
      let full = view.options.ascii ? "#" : "█"
      let empty = view.options.ascii ? "." : "░"
      _ = buffer.put(
        String(repeating: full, count: filled), x: bx, y: y, style: selected ? base : CellStyle(.good))
      _ = buffer.put(
        String(repeating: empty, count: barWidth - filled), x: bx + filled, y: y, style: selected ? base : .muted)
      _ = buffer.put(String(format: "%3d%%", Int(row.progress * 100)), x: bx + barWidth + 1, y: y, style: base)
    }
  }
}
