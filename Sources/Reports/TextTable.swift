/// A plain-text table with columns padded to their widest cell and two spaces between columns.
public struct TextTable: Sendable {
  public var header: [String]
  public var rows: [[String]]
  /// Column indices whose cells are right-aligned (numbers).
  public var rightAligned: Set<Int> = []

  public init(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
    self.header = header
    self.rows = rows
    self.rightAligned = rightAligned
  }

  public var text: String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        widths[index] = max(widths[index], cell.count)
      }
    }
    func line(_ cells: [String]) -> String {
      let padded = cells.enumerated().map { index, cell -> String in
        let padding = String(repeating: " ", count: max(0, widths[index] - cell.count))
        if rightAligned.contains(index) { return padding + cell }
        return index == cells.count - 1 ? cell : cell + padding
      }
      return padded.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}
