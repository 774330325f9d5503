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

  /// Nice ticks that are whole numbers, for an axis that counts something (epochs): the ticks of
  /// `niceTicks` when their step is at least 1, else every integer in `lower...upper`.
  public static func integerTicks(lower: Double, upper: Double, count: Int) -> [Double] {
    let ticks = niceTicks(lower: lower, upper: upper, count: count)
    if ticks.count >= 2, ticks[1] - ticks[0] >= 1 { return ticks }
    guard lower.isFinite, upper.isFinite, upper >= lower else { return [] }
    return Array(stride(from: ceil(lower), through: floor(upper), by: 1))
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
