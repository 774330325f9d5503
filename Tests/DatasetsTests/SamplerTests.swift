import Datasets
import Foundation
import Testing

@Suite struct SamplerTests {
  /// A long-tailed pool over 10 classes (counts 300 ... 30), labels indexed by image index.
  let counts = LongTail.counts(nMax: 300, imbalanceRatio: 10, classes: 10)
  var labels: [Int] { counts.enumerated().flatMap { Array(repeating: $0.offset, count: $0.element) } }
  var pool: [Int] { Array(labels.indices) }

  func classFrequencies(_ sampler: inout Sampler, draws: Int) -> [Int] {
    let labels = self.labels
    var observed = Array(repeating: 0, count: 10)
    for _ in 0..<draws { observed[labels[sampler.next()]] += 1 }
    return observed
  }

  @Test func uniformIsProportionalToClassSizes() {
    var sampler = Sampler(kind: .uniform, indices: pool, labels: labels, seed: 42)
    let total = Double(counts.reduce(0, +))
    let expected = counts.map { Double($0) / total }
    #expect(sampler.classProbabilities.enumerated().allSatisfy { abs($0.element - expected[$0.offset]) < 1e-12 })
    // Two and a half epochs.
    let observed = classFrequencies(&sampler, draws: Int(total * 2.5))
    #expect(chiSquare(observed: observed, probabilities: expected) < chiSquare999With9DegreesOfFreedom)
  }

  @Test func uniformEpochsVisitEveryImageOnceInShuffledOrder() {
    var sampler = Sampler(kind: .uniform, indices: pool, labels: labels, seed: 1)
    let first = sampler.nextBatch(size: pool.count)
    let second = sampler.nextBatch(size: pool.count)
    #expect(first.sorted() == pool)
    #expect(second.sorted() == pool)
    #expect(first != pool && first != second)
  }

  @Test func classBalancedIsUniformOverClasses() {
    var sampler = Sampler(kind: .classBalanced, indices: pool, labels: labels, seed: 42)
    let observed = classFrequencies(&sampler, draws: 20000)
    let uniform = Array(repeating: 0.1, count: 10)
    #expect(chiSquare(observed: observed, probabilities: uniform) < chiSquare999With9DegreesOfFreedom)
    // It is far from instance sampling.
    let total = Double(counts.reduce(0, +))
    let proportional = counts.map { Double($0) / total }
    #expect(chiSquare(observed: observed, probabilities: proportional) > 10 * chiSquare999With9DegreesOfFreedom)
  }

  @Test func reversedFollowsInverseClassSize() {
    var sampler = Sampler(kind: .reversed, indices: pool, labels: labels, seed: 42)
    let weights = counts.map { 300.0 / Double($0) }
    let total = weights.reduce(0, +)
    let expected = weights.map { $0 / total }
    #expect(sampler.classProbabilities.enumerated().allSatisfy { abs($0.element - expected[$0.offset]) < 1e-12 })
    let observed = classFrequencies(&sampler, draws: 20000)
    #expect(chiSquare(observed: observed, probabilities: expected) < chiSquare999With9DegreesOfFreedom)
    #expect(
      chiSquare(observed: observed, probabilities: Array(repeating: 0.1, count: 10))
        > 10 * chiSquare999With9DegreesOfFreedom)
    #expect(observed[9] > observed[0])
  }

  @Test func imagesWithinAClassAreUniform() {
    // 20 images of class 0 and one of class 1: within class 0 every image is equally likely.
    let labels = Array(repeating: 0, count: 20) + [1]
    var sampler = Sampler(kind: .classBalanced, indices: Array(0..<21), labels: labels, seed: 3)
    var observed = Array(repeating: 0, count: 20)
    var draws = 0
    while draws < 20000 {
      let index = sampler.next()
      if index < 20 {
        observed[index] += 1
        draws += 1
      }
    }
    // 0.999 quantile of chi-square with 19 degrees of freedom.
    #expect(chiSquare(observed: observed, probabilities: Array(repeating: 0.05, count: 20)) < 43.82)
  }

  @Test(arguments: SamplerKind.allCases)
  func stateRestoreReproducesTheSequence(kind: SamplerKind) throws {
    let labels = self.labels
    var sampler = Sampler(kind: kind, indices: pool, labels: labels, seed: 99)
    _ = sampler.nextBatch(size: 1234)  // mid-epoch for the uniform sampler
    let saved = sampler.state
    let expected = sampler.nextBatch(size: 3000)  // crosses an epoch boundary

    let encoded = try JSONEncoder().encode(saved)
    let decoded = try JSONDecoder().decode(SamplerState.self, from: encoded)
    #expect(decoded == saved)
    var restored = try Sampler(kind: kind, indices: pool, labels: labels, state: decoded)
    #expect(restored.nextBatch(size: 3000) == expected)

    var rewound = sampler
    try rewound.restore(saved)
    #expect(rewound.nextBatch(size: 3000) == expected)
  }

  @Test func restoreRejectsForeignStates() {
    let labels = self.labels
    let uniform = Sampler(kind: .uniform, indices: pool, labels: labels, seed: 1)
    var reversed = Sampler(kind: .reversed, indices: pool, labels: labels, seed: 1)
    #expect(throws: DataError.self) { try reversed.restore(uniform.state) }
    var other = Sampler(kind: .uniform, indices: Array(pool.dropLast()), labels: labels, seed: 1)
    #expect(throws: DataError.self) { try other.restore(uniform.state) }
  }

  @Test func seedsMatter() {
    var a = Sampler(kind: .reversed, indices: pool, labels: labels, seed: 1)
    var b = Sampler(kind: .reversed, indices: pool, labels: labels, seed: 1)
    var c = Sampler(kind: .reversed, indices: pool, labels: labels, seed: 2)
    let first = a.nextBatch(size: 100)
    #expect(first == b.nextBatch(size: 100))
    #expect(first != c.nextBatch(size: 100))
  }

  @Test func emptyClassesAreNeverDrawn() {
    // Classes 0 and 3 of 4 are empty.
    let labels = [1, 1, 1, 2]
    for kind in SamplerKind.allCases {
      var sampler = Sampler(kind: kind, indices: [0, 1, 2, 3], labels: labels, classCount: 4, seed: 5)
      #expect(sampler.classProbabilities[0] == 0 && sampler.classProbabilities[3] == 0)
      #expect(sampler.nextBatch(size: 500).allSatisfy { (0..<4).contains($0) })
    }
  }

  @Test func splitMixStateRoundTrips() {
    var generator = SplitMix64(seed: 123)
    _ = generator.next()
    let state = generator.state
    let expected = (0..<5).map { _ in generator.next() }
    var copy = SplitMix64(seed: 0)
    copy.state = state
    #expect((0..<5).map { _ in copy.next() } == expected)
    // Reference values of SplitMix64 seeded with 0.
    var zero = SplitMix64(seed: 0)
    #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
    #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
  }
}
