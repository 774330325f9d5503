import Engine
import Testing

/// `fillNormal(std:seed:parallel:)`, the benchmarks' seeded, threaded fill of random input batches.
@Suite struct NormalFillTests {
  func filled(_ count: Int, std: Float = 1, seed: UInt64, threads: Int) -> [Float] {
    let t = Tensor(uninitialized: [count])
    t.fillNormal(std: std, seed: seed, parallel: Parallel(threads: threads))
    return t.scalars
  }

  /// The values depend on the seed only: the same on 1, 2 and 3 threads, bit for bit, for a count that is
  /// not a whole number of blocks and is odd (the last block's last value is a lone z0).
  @Test func theValuesDoNotDependOnTheThreadCount() {
    let count = 3 * 4096 + 1001
    let one = filled(count, seed: 7, threads: 1)
    #expect(filled(count, seed: 7, threads: 2) == one)
    #expect(filled(count, seed: 7, threads: 3) == one)
    #expect(filled(count, seed: 8, threads: 1) != one)
  }

  /// Standard normal moments over 2^17 draws (the standard error of the mean is 0.003, of the variance
  /// 0.004), no value that is not finite, and std scales them.
  @Test func theValuesAreStandardNormal() {
    let values = filled(1 << 17, seed: 1, threads: 2)
    #expect(values.allSatisfy { $0.isFinite })
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    let fourth = values.reduce(0.0) { $0 + pow4(Double($1) - mean) } / n
    #expect(abs(mean) < 0.015)
    #expect(abs(variance - 1) < 0.02)
    #expect(abs(fourth / (variance * variance) - 3) < 0.1, "kurtosis of a normal is 3")
    // Within one block, neighbours are not correlated (z0 and z1 of one pair are independent).
    let lag = zip(values, values.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } / (n - 1)
    #expect(abs(lag) < 0.015)
    let scaled = filled(1 << 17, std: 0.5, seed: 1, threads: 2)
    #expect(zip(scaled, values).allSatisfy { abs($0 - 0.5 * $1) <= 1e-6 * max(1, abs($1)) })
  }

  private func pow4(_ x: Double) -> Double { x * x * x * x }
}
