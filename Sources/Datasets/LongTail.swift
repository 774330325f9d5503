import Foundation
import Requirement

/// Construction of long-tailed (exponentially imbalanced) subsets, as in Cao et al. 2019 and BBN:
/// class `i` of `C` keeps `n_i = floor(n_max * rho^(-i / (C - 1)))` images, classes in index order.
public enum LongTail {
  /// The per-class image counts `n_i = floor(nMax * imbalanceRatio^(-i / (classes - 1)))`.
  ///
  /// Computed in `Double` as `nMax * (1 / rho)^(i / (C - 1))`, the form of the reference
  /// implementations, with a relative tolerance of 1e-9 before flooring, so a value that is an integer
  /// in exact arithmetic (such as the last class's `nMax / rho`) never drops by one through rounding.
  /// For `nMax` 5000, `rho` 100 and 10 classes: 5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50.
  /// - Parameters:
  ///   - nMax: images of the head class (class 0), at least 0.
  ///   - imbalanceRatio: `rho = n_0 / n_(C-1)`, at least 1.
  ///   - classes: number of classes, at least 1 (a single class keeps `nMax`).
  public static func counts(nMax: Int, imbalanceRatio: Double, classes: Int) -> [Int] {
    require(nMax >= 0, "LongTail.counts: nMax must not be negative, got \(nMax)")
    require(imbalanceRatio >= 1, "LongTail.counts: imbalanceRatio must be at least 1, got \(imbalanceRatio)")
    require(classes >= 1, "LongTail.counts: classes must be at least 1, got \(classes)")
    guard classes > 1 else { return [nMax] }
    let factor = 1 / imbalanceRatio
    return (0..<classes).map { index in
      let exact = Double(nMax) * pow(factor, Double(index) / Double(classes - 1))
      return Int((exact * (1 + 1e-9)).rounded(.down))
    }
  }

  /// Picks a long-tailed subset of `dataset`: for each class `i`, `counts[i]` of its images chosen
  /// uniformly without replacement by a generator seeded with `seed`.
  ///
  /// - Returns: image indices sorted by class, and by index within a class.
  /// - Throws: ``DataError/notEnoughImages(classIndex:requested:available:)`` if a class is too small.
  public static func subset(of dataset: ImageDataset, counts: [Int], seed: UInt64) throws -> [Int] {
    require(
      counts.count == dataset.classCount,
      "LongTail.subset: counts needs one count per class (\(dataset.classCount)), got \(counts.count)")
    var generator = SplitMix64(seed: seed)
    var result = [Int]()
    result.reserveCapacity(counts.reduce(0, +))
    for (classIndex, var members) in dataset.indicesByClass().enumerated() {
      let wanted = counts[classIndex]
      guard wanted <= members.count else {
        throw DataError.notEnoughImages(classIndex: classIndex, requested: wanted, available: members.count)
      }
      require(wanted >= 0, "LongTail.subset: counts must not be negative, got \(wanted) for class \(classIndex)")
      // Partial Fisher-Yates: the first `wanted` slots become a uniform sample.
      for slot in 0..<wanted {
        let other = slot + generator.uniformIndex(below: members.count - slot)
        members.swapAt(slot, other)
      }
      result.append(contentsOf: members[0..<wanted].sorted())
    }
    return result
  }

  /// Picks a long-tailed subset of `dataset` with imbalance ratio `imbalanceRatio` (see
  /// ``counts(nMax:imbalanceRatio:classes:)``). `nMax` defaults to the size of the smallest class of
  /// `dataset`, so the head class can always be filled.
  ///
  /// - Returns: image indices sorted by class, and by index within a class.
  public static func subset(
    of dataset: ImageDataset, imbalanceRatio: Double, nMax: Int? = nil, seed: UInt64
  ) throws -> [Int] {
    let head = nMax ?? (dataset.classCounts().min() ?? 0)
    return try subset(
      of: dataset, counts: counts(nMax: head, imbalanceRatio: imbalanceRatio, classes: dataset.classCount),
      seed: seed)
  }
}
