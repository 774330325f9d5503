import Foundation

/// The colour scale of an alpha heatmap: from the smallest to the largest weight it shows.
///
/// DARTS' softmaxed weights stay close to uniform (1/8 for eight ops) for most of a search, e.g. between
/// 0.11 and 0.15, or within 0.001 of 1/8 after the first epoch of a short run; a scale from 0 to the largest
/// weight gives all of them the same colour. Spanning the weights that are there uses the whole ramp for the
/// differences that exist, and the legend says how wide they are (`label`), so a narrow spread is not taken
/// for a decided one. The dashboard fits one scale per map and epoch, the SVG figures one per component over
/// the epochs they show side by side; the colour levels and the shade characters of a colourless terminal
/// both come from `level(_:of:)`.
///
/// (A diverging scale around 1/8 was the alternative. The themes' ramps are sequential (viridis, cividis),
/// and HLS moves each component's alphas at its own rate, so one spread for all maps would leave the slow
/// ones flat; a per-map range gives each map its contrast and its own range to read.)
public struct WeightScale: Sendable, Equatable {
  public let lower: Double
  public let upper: Double

  /// A scale from `lower` to `upper` (swapped if given the other way round).
  public init(lower: Double, upper: Double) {
    self.lower = min(lower, upper)
    self.upper = max(lower, upper)
  }

  /// The scale from the smallest to the largest finite weight; nil when there is none.
  public init?(fitting weights: some Sequence<Double>) {
    var lo = Double.infinity
    var hi = -Double.infinity
    for w in weights where w.isFinite {
      lo = min(lo, w)
      hi = max(hi, w)
    }
    guard lo <= hi else { return nil }
    self.init(lower: lo, upper: hi)
  }

  /// Whether every weight is the same (nothing to tell apart).
  public var isFlat: Bool { !(upper - lower > 1e-12) }

  /// Where `weight` falls: 0 at the smallest weight, 1 at the largest, clamped; 0.5 on a flat scale; 0 for
  /// a value that is not finite.
  public func fraction(_ weight: Double) -> Double {
    guard weight.isFinite else { return 0 }
    if isFlat { return 0.5 }
    return min(max((weight - lower) / (upper - lower), 0), 1)
  }

  /// The level of `weight` among `levels` equal bins of the scale (0 = the lowest bin).
  public func level(_ weight: Double, of levels: Int) -> Int {
    guard levels > 1 else { return 0 }
    return min(Int(fraction(weight) * Double(levels)), levels - 1)
  }

  /// The decimals (two to four) that write the spread with at least three units in its last decimal, so
  /// the ends read apart as they are: `.11-.15`, `.112-.137`, `.1243-.1257`.
  public var decimals: Int {
    (2...4).first { (upper - lower) * pow(10, Double($0)) >= 3 } ?? 4
  }

  /// A weight as the legend writes it, with `decimals` decimals: `.1243`.
  public func text(_ weight: Double) -> String { Format.weight(weight, decimals: decimals) }

  /// The range for a legend: `.11-.15`, `.1243-.1256`; one value when the ends agree to four decimals.
  public var label: String {
    text(lower) == text(upper) ? text(lower) : "\(text(lower))-\(text(upper))"
  }
}
