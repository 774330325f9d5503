/// Where DARTS' networks (search and evaluation alike) halve the resolution: the cells at L/3 and 2L/3.
public enum Reductions {
  /// The reduction cells of a network of `layers` cells, e.g. 2 and 5 of 8.
  public static func cells(layers: Int) -> [Int] {
    Array(Set([layers / 3, 2 * layers / 3])).sorted()
  }

  /// Whether cell `cell` of `layers` is a reduction cell.
  public static func isReduction(_ cell: Int, layers: Int) -> Bool {
    cell == layers / 3 || cell == 2 * layers / 3
  }

  /// Why images of `imageSize` x `imageSize` cannot pass through `layers` cells, or nil. A reduction halves
  /// the resolution in two ways that must agree, a stride-2 op (ceil(n/2)) and FactorizedReduce, whose two
  /// offset halves must have the same size (floor(n/2) each), so every reduction's input must be even.
  public static func sizeProblem(imageSize: Int, layers: Int) -> String? {
    guard let (cell, size) = oddReduction(imageSize: imageSize, layers: layers) else { return nil }
    let works = workingSizes(layers: layers, near: imageSize)
    return "images of \(imageSize)x\(imageSize) reach reduction cell \(cell) at \(size)x\(size), which is odd; "
      + "each reduction halves the size exactly, so the side must be a multiple of 4 "
      + "(e.g. \(works.map { "\($0)x\($0)" }.joined(separator: ", ")))"
  }

  /// The first reduction cell whose input side is odd, and that side; nil when every one is even.
  static func oddReduction(imageSize: Int, layers: Int) -> (cell: Int, size: Int)? {
    var size = imageSize
    for cell in cells(layers: layers) {
      guard size % 2 == 0, size >= 2 else { return (cell, size) }
      size /= 2
    }
    return nil
  }

  /// Image sides near `side` that pass (the nearest smaller and larger ones).
  static func workingSizes(layers: Int, near side: Int) -> [Int] {
    let fits = { (n: Int) in oddReduction(imageSize: n, layers: layers) == nil }
    let below = stride(from: side - 1, through: 4, by: -1).first(where: fits)
    let above = (side + 1...side + 8).first(where: fits)
    return [below, above].compactMap { $0 }
  }
}
