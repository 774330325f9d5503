import Datasets
import Testing

@Suite struct StratifiedSplitTests {
  @Test func halvesAreStratifiedDisjointAndShuffled() throws {
    let labels = (0..<6000).map { $0 % 10 }
    let dataset = try tinyDataset(labels: labels, classCount: 10)
    let counts = LongTail.counts(nMax: 500, imbalanceRatio: 100, classes: 10)
    let subset = try LongTail.subset(of: dataset, counts: counts, seed: 3)
    let (train, val) = StratifiedSplit.split(indices: subset, labels: labels, seed: 11)

    #expect(Set(train).isDisjoint(with: Set(val)))
    #expect((train + val).sorted() == subset.sorted())
    let trainCounts = dataset.classCounts(of: train)
    let valCounts = dataset.classCounts(of: val)
    for classIndex in 0..<10 {
      #expect(abs(trainCounts[classIndex] - valCounts[classIndex]) <= 1)
      #expect(trainCounts[classIndex] >= 1 && valCounts[classIndex] >= 1)
    }
    // Not in index order and not split by position: the first half of the sorted subset would hold
    // only head classes.
    #expect(train != train.sorted())
    #expect(val != val.sorted())
    #expect(Set(train) != Set(subset.prefix(train.count)))
  }

  @Test func smallClasses() {
    // Class 0: one image, class 1: two, class 2: three.
    let labels = [0, 1, 1, 2, 2, 2]
    let (train, val) = StratifiedSplit.split(indices: Array(0..<6), labels: labels, seed: 5)
    #expect(train.contains(0))
    #expect(train.filter { labels[$0] == 1 }.count == 1 && val.filter { labels[$0] == 1 }.count == 1)
    #expect(train.filter { labels[$0] == 2 }.count == 2 && val.filter { labels[$0] == 2 }.count == 1)
  }

  @Test func deterministicPerSeedAndOtherFractions() {
    let labels = (0..<1000).map { $0 % 4 }
    let indices = Array(0..<1000)
    let a = StratifiedSplit.split(indices: indices, labels: labels, seed: 9)
    let b = StratifiedSplit.split(indices: indices, labels: labels, seed: 9)
    let c = StratifiedSplit.split(indices: indices, labels: labels, seed: 10)
    #expect(a.train == b.train && a.val == b.val)
    #expect(a.train != c.train)
    let (train, val) = StratifiedSplit.split(indices: indices, labels: labels, fraction: 0.3, seed: 1)
    #expect(train.count == 300 && val.count == 700)
  }
}
