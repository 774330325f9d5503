/// How many colours the terminal can show.
public enum ColorDepth: String, Sendable, CaseIterable {
  /// 24-bit colour.
  case trueColor = "truecolor"
  /// The xterm 256-colour palette.
  case indexed256 = "256"
  /// The 16 ANSI colours.
  case indexed16 = "16"
  /// The 8 basic colours.
  case indexed8 = "8"
  /// No colour: attributes only (NO_COLOR, or a terminal without colours).
  case monochrome = "none"

  /// The depth for a terminal that reports `colors` colours, honouring NO_COLOR and COLORTERM.
  ///
  /// - Parameters:
  ///   - colors: the terminfo `colors` capability (ncurses `COLORS` after `start_color`).
  ///   - environment: the process environment; a non-empty `NO_COLOR` means monochrome.
  public static func detect(colors: Int, environment: [String: String]) -> ColorDepth {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
    if colors >= 1 << 24 { return .trueColor }
    if colors >= 256 { return .indexed256 }
    if colors >= 16 { return .indexed16 }
    if colors >= 8 { return .indexed8 }
    return .monochrome
  }

  /// The palette index (or, for `trueColor`, the packed 0xRRGGBB value) closest to `rgb`; nil when monochrome.
  public func index(of rgb: RGB) -> Int? {
    switch self {
    case .trueColor: Int(rgb.red) << 16 | Int(rgb.green) << 8 | Int(rgb.blue)
    case .indexed256: ColorDepth.xterm256Index(rgb)
    case .indexed16: ColorDepth.nearest(rgb, in: ColorDepth.ansi16)
    case .indexed8: ColorDepth.nearest(rgb, in: Array(ColorDepth.ansi16.prefix(8)))
    case .monochrome: nil
    }
  }

  /// The xterm default values of the 16 ANSI colours.
  public static let ansi16: [RGB] = [
    RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0), RGB(0, 0, 238), RGB(205, 0, 205),
    RGB(0, 205, 205), RGB(229, 229, 229), RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
    RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255),
  ]

  static func distance(_ a: RGB, _ b: RGB) -> Int {
    let dr = Int(a.red) - Int(b.red)
    let dg = Int(a.green) - Int(b.green)
    let db = Int(a.blue) - Int(b.blue)
    return 2 * dr * dr + 4 * dg * dg + 3 * db * db
  }

  static func nearest(_ rgb: RGB, in palette: [RGB]) -> Int {
    var best = 0
    var bestDistance = Int.max
    for (i, candidate) in palette.enumerated() {
      let d = distance(rgb, candidate)
      if d < bestDistance {
        best = i
        bestDistance = d
      }
    }
    return best
  }

  /// The nearest colour of the 6x6x6 cube (16...231) or the grey ramp (232...255); exact ANSI matches of a
  /// 16-colour theme map to 0...15.
  static func xterm256Index(_ rgb: RGB) -> Int {
    if let exact = ansi16.firstIndex(of: rgb) { return exact }
    let levels = [0, 95, 135, 175, 215, 255]
    func cubeIndex(_ v: UInt8) -> Int {
      var best = 0
      for (i, level) in levels.enumerated() where abs(Int(v) - level) < abs(Int(v) - levels[best]) { best = i }
      return best
    }
    let r = cubeIndex(rgb.red)
    let g = cubeIndex(rgb.green)
    let b = cubeIndex(rgb.blue)
    let cube = RGB(UInt8(levels[r]), UInt8(levels[g]), UInt8(levels[b]))
    let grayLevel = min(max((Int(rgb.red) + Int(rgb.green) + Int(rgb.blue)) / 3 - 8, 0) / 10, 23)
    let grayValue = UInt8(8 + 10 * grayLevel)
    let gray = RGB(grayValue, grayValue, grayValue)
    return distance(rgb, gray) < distance(rgb, cube) ? 232 + grayLevel : 16 + 36 * r + 6 * g + b
  }
}
