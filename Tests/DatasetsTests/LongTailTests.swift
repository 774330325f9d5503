import Datasets
import Testing

@Suite struct LongTailTests {
  @Test func countsMatchTheReferenceForRatio100() {
    #expect(
      LongTail.counts(nMax: 5000, imbalanceRatio: 100, classes: 10)
        == [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50])
  }

  @Test func countsForOtherRatios() {
    #expect(LongTail.counts(nMax: 5000, imbalanceRatio: 10, classes: 10).last == 500)
    #expect(LongTail.counts(nMax: 5000, imbalanceRatio: 50, classes: 10).last == 100)
    #expect(LongTail.counts(nMax: 6000, imbalanceRatio: 1, classes: 10) == Array(repeating: 6000, count: 10))
    #expect(LongTail.counts(nMax: 100, imbalanceRatio: 100, classes: 1) == [100])
    #expect(LongTail.counts(nMax: 500, imbalanceRatio: 100, classes: 3) == [500, 50, 5])
    let counts = LongTail.counts(nMax: 1000, imbalanceRatio: 200, classes: 100)
    #expect(counts.first == 1000 && counts.last == 5)
    #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 })
  }

  @Test func subsetHasTheRequestedCountsSortedByClass() throws {
    let labels = (0..<3000).map { $0 % 10 }
    let dataset = try tinyDataset(labels: labels, classCount: 10)
    let counts = LongTail.counts(nMax: 300, imbalanceRatio: 100, classes: 10)
    let subset = try LongTail.subset(of: dataset, counts: counts, seed: 7)
    #expect(dataset.classCounts(of: subset) == counts)
    #expect(Set(subset).count == subset.count)
    let subsetLabels = dataset.labels(of: subset)
    #expect(subsetLabels == subsetLabels.sorted())
  }

  @Test func subsetIsDeterministicPerSeed() throws {
    let labels = (0..<3000).map { ($0 * 7) % 10 }
    let dataset = try tinyDataset(labels: labels, classCount: 10)
    let first = try LongTail.subset(of: dataset, imbalanceRatio: 10, seed: 1)
    let again = try LongTail.subset(of: dataset, imbalanceRatio: 10, seed: 1)
    let other = try LongTail.subset(of: dataset, imbalanceRatio: 10, seed: 2)
    #expect(first == again)
    #expect(first != other)
    // nMax defaults to the smallest source class (300 here).
    #expect(dataset.classCounts(of: first) == LongTail.counts(nMax: 300, imbalanceRatio: 10, classes: 10))
    // Not simply the first images of each class.
    let classOne = first.filter { labels[$0] == 1 }
    #expect(classOne != Array(dataset.indicesByClass()[1].prefix(classOne.count)))
  }

  @Test func subsetRejectsTooLargeCounts() throws {
    let dataset = try tinyDataset(labels: [0, 0, 1], classCount: 2)
    #expect(throws: DataError.notEnoughImages(classIndex: 1, requested: 2, available: 1)) {
      try LongTail.subset(of: dataset, counts: [2, 2], seed: 0)
    }
  }

  /// A data directory whose training set lacks a class made the long tail empty (n_max is at most the smallest
  /// class), and the samplers over it crashed the search and the training; the data settings now refuse it.
  @Test func theLongTailOfASourceWithAnEmptyClassIsADataError() throws {
    let dataset = try tinyDataset(labels: [0, 0, 1, 1, 3, 3], classCount: 4)
    var data = DataConfiguration()
    data.imbalanceRatio = 2
    do {
      _ = try data.longTail(of: dataset)
      Issue.record("a source with an empty class was accepted")
    } catch {
      #expect(error is DataError)
      #expect("\(error)".contains("class 2 of 4 has no images"), "\(error)")
    }
    data.maxPerClass = 1
    #expect(throws: DataError.self) { try data.longTail(of: dataset) }
  }
}
