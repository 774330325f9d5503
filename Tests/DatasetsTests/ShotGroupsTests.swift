import Datasets
import Testing

@Suite struct ShotGroupsTests {
  @Test func thirdsOfTenClasses() {
    let counts = LongTail.counts(nMax: 5000, imbalanceRatio: 100, classes: 10)
    let groups = ShotGroups(trainingCounts: counts)
    #expect(groups.classes(in: .many) == [0, 1, 2])
    #expect(groups.classes(in: .medium) == [3, 4, 5, 6])
    #expect(groups.classes(in: .few) == [7, 8, 9])
  }

  @Test func thirdsFollowCountsNotIndices() {
    let groups = ShotGroups(trainingCounts: [5, 50, 500, 20, 200, 2])
    #expect(groups.classes(in: .many) == [2, 4])
    #expect(groups.classes(in: .medium) == [1, 3])
    #expect(groups.classes(in: .few) == [0, 5])
    #expect(ShotGroups(trainingCounts: [9]).groups == [.medium])
    #expect(ShotGroups(trainingCounts: [9, 1]).groups == [.many, .few])
  }

  @Test func literatureThresholds() {
    let groups = ShotGroups(trainingCounts: [500, 101, 100, 20, 19, 0], manyAbove: 100, fewBelow: 20)
    #expect(groups.groups == [.many, .many, .medium, .medium, .few, .few])
  }

  @Test func groupAccuracies() {
    let groups = ShotGroups(trainingCounts: [300, 200, 100, 10], manyAbove: 150, fewBelow: 50)
    let accuracies = groups.accuracies(correct: [90, 80, 30, 5], total: [100, 100, 100, 100])
    #expect(accuracies[.many] == 0.85)
    #expect(accuracies[.medium] == 0.30)
    #expect(accuracies[.few] == 0.05)
    let none = ShotGroups(trainingCounts: [300, 200], manyAbove: 150, fewBelow: 50)
    #expect(none.accuracies(correct: [1, 1], total: [2, 2])[.few] == nil)
  }
}
