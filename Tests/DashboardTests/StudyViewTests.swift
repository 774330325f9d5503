import Dashboard
import Foundation
import Testing

@Suite struct StudyViewTests {
  static func rows() -> [StudyView.Row] {
    [
      StudyView.Row(
        values: ["darts", "0"], id: "darts-aaaaaaaaaaaa", phase: "train", epoch: 3, epochs: 3, progress: 1,
        searchTop1: 0.612, trainedTop1: 0.701, state: "finished"),
      StudyView.Row(
        values: ["darts", "1"], id: "darts-bbbbbbbbbbbb", phase: "search", epoch: 1, epochs: 4, progress: 0.125,
        searchTop1: 0.2, trainedTop1: nil, state: "running"),
      StudyView.Row(
        values: ["hls", "0"], id: "hls-cccccccccccc", phase: "", epoch: 0, epochs: 4, progress: 0, searchTop1: nil,
        trainedTop1: nil, state: "not started"),
    ]
  }

  static func view(size: TerminalSize = TerminalSize(width: 110, height: 16)) -> StudyView {
    var view = StudyView(name: "smoke", axes: ["method", "seed"], options: RenderOptions(), size: size)
    view.refresh(rows: rows(), summary: ["method  seeds  top-1", "darts     1/2  70.10"])
    return view
  }

  static func render(_ view: StudyView) -> ScreenBuffer {
    var buffer = ScreenBuffer(width: view.size.width, height: view.size.height)
    StudyViewRenderer.render(view, into: &buffer)
    return buffer
  }

  @Test func everyRunHasALineWithItsProgress() {
    let screen = Self.render(Self.view())
    #expect(screen.line(0).contains("tailnas study smoke"))
    #expect(screen.line(0).contains("3 runs: 1 finished, 1 running, 1 not started"))
    #expect(
      screen.line(1).contains("method") && screen.line(1).contains("progress") && screen.line(1).contains("trained"))
    let finished = screen.line(2)
    #expect(finished.hasPrefix("▶ darts"))
    #expect(finished.contains("darts-aaaaaaaaaaaa") && finished.contains("train") && finished.contains("3/3"))
    #expect(finished.contains("████████████ 100%") && finished.contains("61.2%") && finished.contains("70.1%"))
    let running = screen.line(3)
    #expect(running.contains("search") && running.contains("1/4") && running.contains("█░░░░░░░░░░░  12%"))
    #expect(running.contains("20.0%") && running.trimmingCharacters(in: .whitespaces).hasSuffix("running"))
    #expect(screen.line(4).contains("hls-cccccccccccc") && screen.line(4).contains("not started"))
    #expect(screen.contains("mean ± std over seeds") && screen.contains("darts     1/2  70.10"))
    #expect(screen.line(15).contains("Enter open the run"))
  }

  @Test func keysMoveTheSelectionAndOpenStartedRuns() {
    var view = Self.view()
    #expect(view.update(.enter) == .open(0))
    #expect(view.update(.down) == .redraw && view.selection == 1)
    #expect(view.update(.enter) == .open(1))
    _ = view.update(.down)
    _ = view.update(.down)
    #expect(view.selection == 2)
    #expect(view.update(.enter) == .redraw)
    #expect(view.message == "hls-cccccccccccc has not started yet")
    #expect(Self.render(view).contains("hls-cccccccccccc has not started yet"))
    #expect(view.update(.home) == .redraw && view.selection == 0)
    #expect(view.update(.character("q")) == .quit)
  }

  @Test func theSelectionFollowsItsRunWhenRowsChange() {
    var view = Self.view()
    _ = view.update(.down)
    var rows = Self.rows()
    rows.insert(rows.remove(at: 1), at: 2)
    view.refresh(rows: rows, summary: [])
    #expect(view.selection == 2 && view.rows[2].id == "darts-bbbbbbbbbbbb")
    view.refresh(rows: [], summary: [])
    #expect(view.selection == 0 && view.update(.enter) == .redraw)
  }

  @Test func aTinyTerminalSaysSo() {
    let screen = Self.render(Self.view(size: TerminalSize(width: 40, height: 8)))
    #expect(screen.line(0).contains("terminal too small: 40x8"))
  }

  @Test func aManyRunStudyScrollsToTheSelection() {
    var view = Self.view(size: TerminalSize(width: 110, height: 12))
    let many = (0..<30).map { i in
      StudyView.Row(
        values: ["darts", "\(i)"], id: "darts-\(String(format: "%012d", i))", phase: "search", epoch: 1, epochs: 2,
        progress: 0.25, searchTop1: nil, trainedTop1: nil, state: "running")
    }
    view.refresh(rows: many, summary: [])
    _ = view.update(.end)
    let screen = Self.render(view)
    #expect(screen.contains("darts-000000000029"))
    #expect(!screen.contains("darts-000000000000"))
  }

  @Test func aWatchedRunLeavesOnEscapeAndOffersNoControls() {
    var model = DashboardModel(mode: .live, options: RenderOptions(), size: TerminalSize(width: 100, height: 30))
    model.isSearchRunning = true
    model.isWatchingOnly = true
    #expect(model.update(.character(" ")).contains(.send(.pause)) == false)
    #expect(model.message?.contains("another process") == true)
    #expect(model.update(.character("q")) == [.quit])
    #expect(model.update(.escape) == [.quit])
    var screen = ScreenBuffer(width: 100, height: 30)
    DashboardRenderer.render(model, into: &screen)
    #expect(screen.line(29).contains("q back") && !screen.line(29).contains("pause"))
    var zoomed = model
    _ = zoomed.update(.character("1"))
    #expect(zoomed.update(.escape) != [.quit])
  }
}
