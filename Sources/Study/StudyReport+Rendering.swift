import Foundation
import Presentation
import Reports

/// The study report as text, Markdown or CSV.
extension StudyReport {
  /// The report: its table, then the claims one by one (CSV: the table only, with means, standard deviations
  /// and interval bounds in separate columns, as fractions).
  public func rendered(as format: ReportFormat) -> String {
    switch format {
    case .text: text
    case .markdown: markdown
    case .csv: csv
    }
  }

  var caption: String {
    let what = trains ? "trained top-1 at the last epoch (many / medium / few: its shot groups)" : "search top-1"
    let runs = rows.reduce(0) { $0 + $1.outcomes.count }
    let finished = rows.reduce(0) { $0 + $1.finished.count }
    return "study \(study.name): \(finished) of \(Format.count(runs, "run")) finished; mean ± std over seeds of "
      + "\(what), in %; vs darts: the difference in points with its 95% Welch interval"
  }

  var header: [String] {
    settingLabels + ["method", "seeds", "top-1", "many", "medium", "few", "search top-1", "params", "vs darts"]
  }

  func cells(_ row: Row) -> [String] {
    func meanStd(_ sample: Sample) -> String {
      guard sample.count > 0 else { return "-" }
      let mean = String(format: "%.2f", sample.mean * 100)
      return sample.count > 1 ? mean + " ± " + String(format: "%.2f", sample.standardDeviation * 100) : mean
    }
    let parameters = row.parameters.count > 0 ? Format.parameters(Int(row.parameters.mean.rounded())) : "-"
    let versus: String
    if let d = row.versusDARTS {
      versus = "\(StudyClaim.points(d.estimate)) [\(StudyClaim.points(d.low)), \(StudyClaim.points(d.high))]"
    } else {
      versus = row.method == "darts" ? "" : "-"
    }
    return row.setting.map(\.value) + [
      row.method, "\(row.top1.count)/\(row.outcomes.count)", meanStd(row.top1),
      trains ? meanStd(row.many) : "-", trains ? meanStd(row.medium) : "-", trains ? meanStd(row.few) : "-",
      meanStd(row.searchTop1), parameters, versus,
    ]
  }

  func claimLines(numbered: Bool) -> [String] {
    claims.enumerated().map { index, claim in
      let setting = claim.setting.isEmpty ? "" : " [\(claim.setting)]"
      let lead = numbered ? "\(index + 1). " : "- "
      return "\(lead)\(claim.statement)\(setting): \(claim.verdict.rawValue.uppercased()). \(claim.evidence)"
    }
  }

  /// The table alone, as aligned text (the study view's aggregate).
  public var table: String {
    TextTable(header: header, rows: rows.map(cells), rightAligned: Set(settingLabels.count + 1..<header.count)).text
  }

  var text: String {
    var out = caption + "\n\n" + table
    out += "\nThe paper's claims:\n"
    out += claims.isEmpty ? "  (none applies: the study has no darts row to compare with)\n" : ""
    for line in claimLines(numbered: true) { out += Format.wrap(line, width: 110).joined(separator: "\n   ") + "\n" }
    return out
  }

  var markdown: String {
    var out = "## Study \(study.name)\n\n" + caption + "\n\n"
    out += "| " + header.map(MarkdownCell.escaped).joined(separator: " | ") + " |\n"
    out += "|" + header.indices.map { $0 < settingLabels.count + 1 ? " --- |" : " ---: |" }.joined() + "\n"
    for row in rows { out += "| " + cells(row).map(MarkdownCell.escaped).joined(separator: " | ") + " |\n" }
    out += "\n### The paper's claims\n\n"
    out += claims.isEmpty ? "None applies: the study has no darts row to compare with.\n" : ""
    for line in claimLines(numbered: true) { out += line + "\n" }
    return out
  }

  var csv: String {
    var fields = settingLabels + ["method", "finished", "runs"]
    for name in ["top1", "many", "medium", "few", "search_top1"] { fields += [name + "_mean", name + "_std"] }
    fields += ["params_mean", "vs_darts", "vs_darts_low", "vs_darts_high"]
    var out = CSVField.record(fields)
    func number(_ value: Double) -> String { value.isFinite ? Format.shortest(value) : "" }
    for row in rows {
      var record = row.setting.map(\.value) + [row.method, "\(row.top1.count)", "\(row.outcomes.count)"]
      for sample in [row.top1, row.many, row.medium, row.few, row.searchTop1] {
        record += [number(sample.mean), number(sample.standardDeviation)]
      }
      record += [number(row.parameters.mean)]
      if let d = row.versusDARTS {
        record += [number(d.estimate), number(d.low), number(d.high)]
      } else {
        record += ["", "", ""]
      }
      out += CSVField.record(record)
    }
    return out
  }
}
