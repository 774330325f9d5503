import Foundation

/// Values of one quantity over the seeds of a study setting: their mean and sample standard deviation.
public struct Sample: Sendable, Equatable {
  public var values: [Double]

  public init(_ values: [Double]) { self.values = values.filter(\.isFinite) }

  public var count: Int { values.count }
  /// x̄ = Σx / n; NaN when empty.
  public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
  /// s² = Σ(x - x̄)² / (n - 1): the unbiased sample variance; NaN below two values.
  public var variance: Double {
    guard count > 1 else { return .nan }
    let m = mean
    return values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(count - 1)
  }
  /// s, the sample standard deviation (NaN below two values).
  public var standardDeviation: Double { variance.squareRoot() }
}

/// The difference of two means with its confidence interval.
public struct MeanDifference: Sendable, Equatable {
  /// x̄_a - x̄_b.
  public var estimate: Double
  public var low: Double
  public var high: Double
  /// Welch–Satterthwaite degrees of freedom (infinite when both samples have no spread).
  public var degreesOfFreedom: Double
  public var confidence: Double

  /// Welch's t interval for mean(a) - mean(b) (Welch 1947): d ± t_{(1+c)/2, ν} · se with
  /// se² = s_a²/n_a + s_b²/n_b and ν = se⁴ / ((s_a²/n_a)²/(n_a-1) + (s_b²/n_b)²/(n_b-1)). Nil when a sample
  /// has fewer than two values (no interval can be given).
  public init?(_ a: Sample, minus b: Sample, confidence: Double = 0.95) {
    guard a.count >= 2, b.count >= 2 else { return nil }
    let va = a.variance / Double(a.count)
    let vb = b.variance / Double(b.count)
    let se = (va + vb).squareRoot()
    estimate = a.mean - b.mean
    self.confidence = confidence
    guard se > 0 else {
      low = estimate
      high = estimate
      degreesOfFreedom = .infinity
      return
    }
    let v = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
    degreesOfFreedom = v
    let t = StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: v)
    low = estimate - t * se
    high = estimate + t * se
  }

  /// Whether the interval lies wholly below zero, wholly above it, or includes it.
  public var sign: Int { high < 0 ? -1 : (low > 0 ? 1 : 0) }
}
