extension ScreenBuffer {
  /// The characters, one line per row, trailing spaces kept so columns line up.
  public var plainText: String {
    var out = ""
    out.reserveCapacity((width + 1) * height)
    for y in 0..<height {
      for x in 0..<width { out.unicodeScalars.append(cells[y * width + x].scalar) }
      out.append("\n")
    }
    return out
  }

  /// One row's characters.
  public func line(_ y: Int) -> String {
    guard y >= 0, y < height else { return "" }
    var text = ""
    for cell in cells[(y * width)..<(y * width + width)] { text.unicodeScalars.append(cell.scalar) }
    return text
  }

  /// The styles as run-length lines, for snapshot tests: each row lists its runs of equal style as
  /// `start-end fg/bg+attrs`, with colours written as role codes (see `ColorRole.code`), `hN` heat levels,
  /// `.` for the terminal default and attributes as `b`old, `d`im, `r`everse, `u`nderline.
  public var styleText: String {
    var out = ""
    for y in 0..<height {
      out += y < 10 ? "0\(y):" : "\(y):"
      var start = 0
      while start < width {
        let style = cells[y * width + start].style
        var end = start + 1
        while end < width, cells[y * width + end].style == style { end += 1 }
        out += " \(start)-\(end - 1) \(style.foreground.code)/\(style.background.code)"
        let attributes = style.attributes.code
        if !attributes.isEmpty { out += "+" + attributes }
        start = end
      }
      out += "\n"
    }
    return out
  }

  /// Whether `text` appears anywhere on the screen (within one row).
  public func contains(_ text: String) -> Bool {
    (0..<height).contains { line($0).contains(text) }
  }
}
