import Requirement

/// The usual long-tail reporting groups of classes.
public enum ShotGroup: String, Codable, Sendable, CaseIterable {
  /// Head classes with many training images.
  case many
  /// Classes in between.
  case medium
  /// Tail classes with few training images.
  case few
}

/// Assigns each class to a many / medium / few-shot group by its training count, and aggregates
/// accuracy per group.
public struct ShotGroups: Sendable, Codable, Equatable {
  /// The group of each class, indexed by class.
  public let groups: [ShotGroup]

  /// Groups by thirds of the classes ranked by training count (the default).
  ///
  /// Classes are ranked by count, descending (ties by class index); the top `(C + 1) / 3` classes
  /// (integer division, i.e. `C / 3` rounded to nearest) are many-shot, the bottom `(C + 1) / 3` are
  /// few-shot and the rest medium. With 10 classes that is 3 / 4 / 3; with 1 class it is medium.
  public init(trainingCounts: [Int]) {
    let classes = trainingCounts.count
    let ranked = trainingCounts.indices.sorted {
      trainingCounts[$0] != trainingCounts[$1] ? trainingCounts[$0] > trainingCounts[$1] : $0 < $1
    }
    let third = (classes + 1) / 3
    var groups = Array(repeating: ShotGroup.medium, count: classes)
    for (rank, classIndex) in ranked.enumerated() {
      if rank < third {
        groups[classIndex] = .many
      } else if rank >= classes - third {
        groups[classIndex] = .few
      }
    }
    self.groups = groups
  }

  /// Groups by count thresholds, as in the literature (Liu et al. 2019: many > 100, few < 20):
  /// a class is many-shot if its count exceeds `manyAbove`, few-shot if it is below `fewBelow`, and
  /// medium otherwise. `fewBelow` must not exceed `manyAbove + 1`.
  public init(trainingCounts: [Int], manyAbove: Int, fewBelow: Int) {
    require(
      fewBelow <= manyAbove + 1,
      "ShotGroups: fewBelow must not exceed manyAbove + 1, got fewBelow \(fewBelow) and manyAbove \(manyAbove)")
    groups = trainingCounts.map { count in
      count > manyAbove ? .many : (count < fewBelow ? .few : .medium)
    }
  }

  /// The number of classes.
  public var classCount: Int { groups.count }

  /// The group of class `classIndex`.
  public func group(of classIndex: Int) -> ShotGroup { groups[classIndex] }

  /// The classes in `group`, ascending.
  public func classes(in group: ShotGroup) -> [Int] {
    groups.indices.filter { groups[$0] == group }
  }

  /// Top-1 accuracy of each group: correct predictions over test images, summed over the group's
  /// classes. A group without classes or without test images has no accuracy (`nil`).
  ///
  /// - Parameters:
  ///   - correct: correct predictions per class.
  ///   - total: test images per class.
  public func accuracies(correct: [Int], total: [Int]) -> [ShotGroup: Double] {
    require(
      correct.count == classCount,
      "ShotGroups.accuracies: correct needs one value per class (\(classCount)), got \(correct.count)")
    require(
      total.count == classCount,
      "ShotGroups.accuracies: total needs one value per class (\(classCount)), got \(total.count)")
    var result = [ShotGroup: Double]()
    for group in ShotGroup.allCases {
      let members = classes(in: group)
      let images = members.reduce(0) { $0 + total[$1] }
      guard images > 0 else { continue }
      result[group] = Double(members.reduce(0) { $0 + correct[$1] }) / Double(images)
    }
    return result
  }
}
