import Foundation

/// Maps data values to [0, 1] along one axis, linearly or logarithmically.
public struct ChartScale: Sendable, Equatable {
  public var lower: Double
  public var upper: Double
  public var isLogarithmic: Bool

  /// A scale over `lower...upper`; a logarithmic scale needs positive bounds (else it falls back to linear).
  public init(lower: Double, upper: Double, logarithmic: Bool = false) {
    let log = logarithmic && lower > 0 && upper > 0
    var lo = lower
    var hi = upper
    if !(hi > lo) {
      // A flat series: widen around the value.
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      if log {
        lo /= 1.5
        hi = lo * 2.25
      } else {
        lo -= pad
        hi += pad
      }
    }
    self.lower = lo
    self.upper = hi
    self.isLogarithmic = log
  }

  /// The smallest scale holding every finite value (positive values for a log scale), padded by `padding` of
  /// the span; nil when there is no such value.
  public static func fitting(_ values: [Double], logarithmic: Bool, padding: Double = 0.05) -> ChartScale? {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in values where v.isFinite && (!logarithmic || v > 0) {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    guard lo <= hi else { return nil }
    if logarithmic {
      let factor = hi > lo ? pow(hi / lo, padding) : 1
      return ChartScale(lower: lo / factor, upper: hi * factor, logarithmic: true)
    }
    let pad = (hi - lo) * padding
    return ChartScale(lower: lo - pad, upper: hi + pad)
  }

  /// `value` as a fraction of the axis (0 at `lower`, 1 at `upper`); NaN for values a log axis cannot show.
  @inline(__always)
  public func fraction(_ value: Double) -> Double {
    if isLogarithmic {
      guard value > 0 else { return .nan }
      return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
    }
    return (value - lower) / (upper - lower)
  }

  /// The value at a fraction of the axis.
  public func value(at fraction: Double) -> Double {
    if isLogarithmic { return pow(10, log10(lower) + fraction * (log10(upper) - log10(lower))) }
    return lower + fraction * (upper - lower)
  }

  /// Tick values inside the scale; with `integers`, whole numbers only (a linear axis that counts epochs).
  public func ticks(count: Int, integers: Bool = false) -> [Double] {
    let all =
      isLogarithmic
      ? ChartMath.logTicks(lower: lower, upper: upper, count: count)
      : integers
        ? ChartMath.integerTicks(lower: lower, upper: upper, count: count)
        : ChartMath.niceTicks(lower: lower, upper: upper, count: count)
    return all.filter { $0 >= lower && $0 <= upper }
  }
}
