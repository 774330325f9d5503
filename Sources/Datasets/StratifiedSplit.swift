import Requirement

/// The shuffled, class-stratified split of a (long-tailed) training set into the part that trains the
/// weights and the part that trains the architecture (DARTS' 50/50 split). It never splits by index:
/// the long-tailed set is sorted by class, so an index split would leave the tail classes out of one half.
public enum StratifiedSplit {
  /// Splits `indices` class by class.
  ///
  /// Each class's images are shuffled, then `round(n * fraction)` of them go to `train` and the rest to
  /// `val`, adjusted so that a class with a single image goes to `train` and every class with two or
  /// more images has at least one in each half. With `fraction` 0.5 the halves of a class differ by at
  /// most one image (an odd one out goes to `train`). Finally each half is shuffled.
  ///
  /// - Parameters:
  ///   - indices: the image indices to split (each at most once).
  ///   - labels: the label of every image of the data set, indexed by image index (e.g.
  ///     `dataset.labels`), not parallel to `indices`.
  ///   - fraction: the share of each class that goes to `train`, in `0 ... 1`.
  ///   - seed: seeds the shuffles.
  public static func split(
    indices: [Int], labels: [Int], fraction: Double = 0.5, seed: UInt64
  ) -> (train: [Int], val: [Int]) {
    require((0...1).contains(fraction), "StratifiedSplit.split: fraction must lie in 0...1, got \(fraction)")
    var byClass = [Int: [Int]]()
    for index in indices {
      byClass[labels[index], default: []].append(index)
    }
    var generator = SplitMix64(seed: seed)
    var train = [Int]()
    var val = [Int]()
    train.reserveCapacity(Int(Double(indices.count) * fraction) + byClass.count)
    val.reserveCapacity(indices.count - train.capacity + byClass.count)
    for label in byClass.keys.sorted() {
      var members = byClass[label]!
      members.stableShuffle(using: &generator)
      let n = members.count
      var trainCount = Int((Double(n) * fraction).rounded())
      if n == 1 {
        trainCount = 1
      } else {
        trainCount = min(max(trainCount, 1), n - 1)
      }
      train.append(contentsOf: members[0..<trainCount])
      val.append(contentsOf: members[trainCount...])
    }
    train.stableShuffle(using: &generator)
    val.stableShuffle(using: &generator)
    return (train, val)
  }
}
