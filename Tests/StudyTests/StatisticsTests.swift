import Foundation
import Study
import Testing

@Suite struct StatisticsTests {
  /// Two-sided 95% critical values of Student's t (any statistics table): ν = 1, 2, 4, 10, 30.
  @Test(arguments: [(1.0, 12.7062), (2.0, 4.3027), (4.0, 2.7764), (10.0, 2.2281), (30.0, 2.0423)])
  func quantilesMatchTheTable(degrees: Double, expected: Double) {
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: degrees) - expected) < 5e-4)
    #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: degrees) + expected) < 5e-4)
  }

  @Test func manyDegreesApproachTheNormal() {
    #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e7) - 1.959964) < 1e-4)
    #expect(abs(StudentT.cdf(0, degreesOfFreedom: 3) - 0.5) < 1e-12)
    // ν = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/π.
    #expect(abs(StudentT.cdf(2, degreesOfFreedom: 1) - (0.5 + atan(2) / .pi)) < 1e-10)
  }

  @Test func sampleStatistics() {
    let sample = Sample([1, 2, 3, 4, .nan])
    #expect(sample.count == 4)
    #expect(sample.mean == 2.5)
    #expect(abs(sample.variance - 5.0 / 3) < 1e-12)
    #expect(Sample([7]).standardDeviation.isNaN)
  }

  /// a = [1, 2, 3], b = [4, 5, 6]: d = -3, se² = 1/3 + 1/3, ν = (2/3)² / (2 · (1/3)² / 2) = 4, t = 2.7764,
  /// so the interval is -3 ± 2.7764 · 0.8165.
  @Test func welchIntervalByHand() throws {
    let d = try #require(MeanDifference(Sample([1, 2, 3]), minus: Sample([4, 5, 6])))
    #expect(d.estimate == -3)
    #expect(abs(d.degreesOfFreedom - 4) < 1e-9)
    #expect(abs(d.low - (-3 - 2.7764 * (2.0 / 3).squareRoot())) < 1e-3)
    #expect(abs(d.high - (-3 + 2.7764 * (2.0 / 3).squareRoot())) < 1e-3)
    #expect(d.sign == -1)
  }

  @Test func unequalVariancesUseWelchSatterthwaite() throws {
    // s_a² = 1 (n 3), s_b² = 16 (n 5): ν = (1/3 + 16/5)² / ((1/3)²/2 + (16/5)²/4).
    let a = Sample([0, 1, 2])
    let b = Sample([0, 4, 8, 2, 6].map { $0 * (16.0 / 10).squareRoot() })
    #expect(abs(b.variance - 16) < 1e-9)
    let d = try #require(MeanDifference(a, minus: b))
    let v = (1.0 / 3 + 16.0 / 5) * (1.0 / 3 + 16.0 / 5) / ((1.0 / 9) / 2 + (256.0 / 25) / 4)
    #expect(abs(d.degreesOfFreedom - v) < 1e-9)
    #expect(d.sign == 0)
  }

  @Test func noIntervalBelowTwoValues() {
    #expect(MeanDifference(Sample([1]), minus: Sample([1, 2])) == nil)
    let same = MeanDifference(Sample([1, 1]), minus: Sample([0, 0]))
    #expect(same?.low == 1 && same?.high == 1)
  }
}
