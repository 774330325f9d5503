import Foundation

/// The numbers behind the charts: smoothing, axis scaling and tick placement.
public enum ChartMath {
  /// TensorBoard-style exponential moving average with de-biasing: s_t = w s_{t-1} + (1 - w) x_t, shown as
  /// s_t / (1 - w^t) so the start is not pulled toward 0. Non-finite values pass through and are skipped.
  public static func debiasedEMA(_ values: [Double], weight: Double) -> [Double] {
    let w = min(max(weight, 0), 0.9999)
    guard w > 0 else { return values }
    var result: [Double] = []
    result.reserveCapacity(values.count)
    var average = 0.0
    var correction = 1.0
    for value in values {
      guard value.isFinite else {
        result.append(value)
        continue
      }
      average = w * average + (1 - w) * value
      correction *= w
      result.append(average / (1 - correction))
    }
    return result
  }

  /// "Nice" tick values (1, 2 or 5 times a power of ten) covering `lower...upper`, at most about `count`.
  public static func niceTicks(lower: Double, upper: Double, count: Int) -> [Double] {
    guard lower.isFinite, upper.isFinite, upper > lower, count > 0 else { return lower.isFinite ? [lower] : [] }
    let rough = (upper - lower) / Double(count)
    let power = pow(10, floor(log10(rough)))
    let multiple = [1.0, 2, 5, 10].first { $0 * power >= rough } ?? 10
    let step = multiple * power
    // Multiples of the step computed so that 0.3 is 3 / 10, not 3 * 0.1.
    func tick(_ k: Double) -> Double { power < 1 ? k * multiple / (1 / power).rounded() : k * step }
    var ticks: [Double] = []
    var k = ceil(lower / step - 1e-9)
    while tick(k) <= upper + step * 1e-9 {
      ticks.append(tick(k) == 0 ? 0 : tick(k))
      k += 1
    }
    return ticks
  }

  /// Ticks for a logarithmic axis: powers of ten when the range spans at least two decades, else nice linear ticks.
  public static func logTicks(lower: Double, upper: Double, count: Int) -> [Double] {
    guard lower > 0, upper > lower else { return niceTicks(lower: lower, upper: upper, count: count) }
    if upper / lower >= 100 {
      return (Int(ceil(log10(lower)))...Int(floor(log10(upper)))).map { pow(10, Double($0)) }
    }
    return niceTicks(lower: lower, upper: upper, count: count).filter { $0 > 0 }
  }
}

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

  /// Tick values inside the scale.
  public func ticks(count: Int) -> [Double] {
    let all =
      isLogarithmic
      ? ChartMath.logTicks(lower: lower, upper: upper, count: count)
      : ChartMath.niceTicks(lower: lower, upper: upper, count: count)
    return all.filter { $0 >= lower && $0 <= upper }
  }
}
