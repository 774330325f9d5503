import Engine
import Foundation
import Presentation

/// The text of `tailnas bench --profile`: where one step's wall time goes, by stage and pass, by op, and
/// between the threads, with each op's FLOPs and the rate it reaches.
struct ProfileReport {
  let profile: StepProfile
  let threads: StepProfile.ThreadUse
  let steps: Int
  let threadCount: Int
  let wallSeconds: Double
  let images: Int

  /// Milliseconds per step.
  private func ms(_ seconds: Double) -> String { String(format: "%.1f", 1000 * seconds / Double(steps)) }
  private func share(_ seconds: Double) -> String { Format.percent(seconds / wallSeconds) }
  private func gflop(_ flops: Double) -> String { String(format: "%.2f", flops / 1e9 / Double(steps)) }
  private func rate(_ flops: Double, _ seconds: Double) -> String {
    flops > 0 && seconds > 0 ? String(format: "%.0f", flops / 1e9 / seconds) : ""
  }

  private func table(_ header: [String], _ rows: [[String]]) -> String {
    let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in
        i == 0
          ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[i] - cell.count) + cell
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
  }

  /// The report; `detailRows` is how many op rows with their shapes to list.
  func text(detailRows: Int = 30) -> String {
    let rows = profile.rows
    let tapeSeconds = rows.values.reduce(0) { $0 + $1.seconds }
    let totalFlops = rows.values.reduce(0) { $0 + $1.flops }
    var out = [
      "profile of \(steps) steps on \(threadCount) threads: \(ms(wallSeconds)) ms a step, "
        + String(format: "%.1f", Double(images) / wallSeconds) + " images/s, "
        + "\(gflop(totalFlops)) GFLOP a step counted (convolutions and matrix products), "
        + "\(rate(totalFlops, wallSeconds)) GFLOP/s over the whole step",
      "",
    ]
    // By stage and pass.
    var stageRows: [[String]] = []
    let stages = Array(Set(rows.keys.map(\.stage))).sorted()
    for stage in stages {
      for pass in StepProfile.Pass.allCases {
        let part = rows.filter { $0.key.stage == stage && $0.key.pass == pass }.map(\.value)
        guard !part.isEmpty else { continue }
        let seconds = part.reduce(0) { $0 + $1.seconds }
        let flops = part.reduce(0) { $0 + $1.flops }
        stageRows.append([
          "\(stage) \(pass.rawValue)", ms(seconds), share(seconds), gflop(flops), rate(flops, seconds),
        ])
      }
    }
    let outside = wallSeconds - tapeSeconds
    stageRows.append(["outside the tape (batches, bookkeeping)", ms(outside), share(outside), "", ""])
    out.append(table(["stage", "ms/step", "share", "GFLOP/step", "GFLOP/s"], stageRows))
    out.append("")
    // By op, over stages.
    func byOp(_ name: (StepProfile.Key) -> String) -> [[String]] {
      var grouped: [String: (forward: Double, backward: Double, flops: Double, calls: Int)] = [:]
      for (key, row) in rows {
        var entry = grouped[name(key), default: (0, 0, 0, 0)]
        if key.pass == .forward {
          entry.forward += row.seconds
          entry.calls += row.calls
        } else {
          entry.backward += row.seconds
        }
        entry.flops += row.flops
        grouped[name(key)] = entry
      }
      return grouped.sorted { $0.value.forward + $0.value.backward > $1.value.forward + $1.value.backward }.map {
        let total = $0.value.forward + $0.value.backward
        return [
          $0.key, ms($0.value.forward), ms($0.value.backward), share(total), gflop($0.value.flops),
          rate($0.value.flops, total), String($0.value.calls / steps),
        ]
      }
    }
    let header = ["op", "fwd ms", "bwd ms", "share", "GFLOP", "GFLOP/s", "calls"]
    out.append(table(header, byOp { String($0.op.prefix { $0 != " " }) }))
    out.append("")
    out.append(
      "the \(detailRows) costliest ops by shape (kernel k, stride s, dilation d, output size, input channels c):")
    out.append(table(header, Array(byOp(\.op).prefix(detailRows))))
    out.append("")
    // Threads.
    let idle = Double(threadCount) * threads.jobSeconds - threads.busySeconds
    let serial = wallSeconds - threads.jobSeconds
    out.append(
      table(
        ["threads", "ms/step", "share"],
        [
          [
            "wall time in jobs split over the threads (\(threads.jobs / steps) jobs a step)", ms(threads.jobSeconds),
            share(threads.jobSeconds),
          ],
          ["  idle thread time inside those jobs (imbalance, hand-offs)", ms(idle), share(idle / Double(threadCount))],
          ["  of which the submitter waited for the last part", ms(threads.waitSeconds), share(threads.waitSeconds)],
          ["wall time outside them (one thread works, the others wait)", ms(serial), share(serial)],
        ]))
    out.append(
      "(idle time's share is of the threads' total time; the others are of the wall time)")
    return out.joined(separator: "\n")
  }
}
