import Engine
import Foundation

/// Student's t distribution with ν (possibly fractional) degrees of freedom, for Welch intervals.
///
/// CDF for t ≥ 0: F(t) = 1 - I_x(ν/2, 1/2) / 2 with x = ν / (ν + t²), I the regularized incomplete beta
/// function (Abramowitz & Stegun 26.7.1); the quantile inverts it by bisection.
public enum StudentT {
  /// P(T ≤ t) for ν degrees of freedom.
  public static func cdf(_ t: Double, degreesOfFreedom v: Double) -> Double {
    let tail = 0.5 * regularizedBeta(v / (v + t * t), a: v / 2, b: 0.5)
    return t >= 0 ? 1 - tail : tail
  }

  /// The t with P(T ≤ t) = p, for 0 < p < 1.
  public static func quantile(_ p: Double, degreesOfFreedom v: Double) -> Double {
    require(p > 0 && p < 1, "StudentT.quantile: p must lie in (0, 1), got \(p)")
    require(v > 0, "StudentT.quantile: degreesOfFreedom must be positive, got \(v)")
    if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: v) }
    var low = 0.0
    var high = 1.0
    while cdf(high, degreesOfFreedom: v) < p { high *= 2 }
    for _ in 0..<200 where high - low > 1e-12 * max(1, high) {
      let middle = (low + high) / 2
      if cdf(middle, degreesOfFreedom: v) < p { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }

  /// I_x(a, b) = B(x; a, b) / B(a, b), by the continued fraction of A&S 26.5.8 evaluated with Lentz's method,
  /// using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
  static func regularizedBeta(_ x: Double, a: Double, b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let logPowers: Double = a * log(x) + b * log(1 - x)
    let front = exp(logBeta + logPowers)
    if x > (a + 1) / (a + b + 2) { return 1 - front * fraction(1 - x, a: b, b: a) / b }
    return front * fraction(x, a: a, b: b) / a
  }

  /// The continued fraction 1 / (1 + d1 / (1 + d2 / (1 + ...))) with d_{2m+1} = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1))
  /// and d_{2m} = m(b-m)x / ((a+2m-1)(a+2m)).
  private static func fraction(_ x: Double, a: Double, b: Double) -> Double {
    let tiny = 1e-300
    var c = 1.0
    var d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var result = d
    for m in 1...500 {
      let m = Double(m)
      let even: Double = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
      let odd: Double = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
      for numerator in [even, odd] {
        d = 1 + numerator * d
        if abs(d) < tiny { d = tiny }
        c = 1 + numerator / c
        if abs(c) < tiny { c = tiny }
        d = 1 / d
        result *= d * c
      }
      if abs(d * c - 1) < 1e-15 { break }
    }
    return result
  }
}
