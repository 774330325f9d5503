import Requirement

/// How a ``Sampler`` draws images.
public enum SamplerKind: String, Codable, Sendable, CaseIterable {
  /// Instance sampling: shuffled epochs without replacement, so each class appears in proportion to
  /// its size.
  case uniform
  /// Class-balanced re-sampling: a class uniformly (among non-empty classes), then an image of it
  /// uniformly, with replacement.
  case classBalanced = "class-balanced"
  /// BBN's reversed sampler: class `i` with probability proportional to `N_max / N_i`, then an image of
  /// it uniformly, with replacement.
  case reversed
}

/// The complete mutable state of a ``Sampler``: store it in a checkpoint and restore it with
/// ``Sampler/init(kind:indices:labels:classCount:state:)`` to continue the exact same sequence.
public struct SamplerState: Codable, Sendable, Equatable {
  /// The kind of sampler the state belongs to.
  public var kind: SamplerKind
  /// The generator state (``SplitMix64/state``).
  public var generatorState: UInt64
  /// The current epoch's permutation of the pool (uniform sampling only; empty otherwise).
  public var permutation: [Int]
  /// The next position in `permutation` (uniform sampling only).
  public var position: Int

  /// Creates a state from its parts.
  public init(kind: SamplerKind, generatorState: UInt64, permutation: [Int], position: Int) {
    self.kind = kind
    self.generatorState = generatorState
    self.permutation = permutation
    self.position = position
  }
}

/// Draws image indices from a pool, by one of the ``SamplerKind`` strategies, reproducibly from a seed
/// and resumably from a ``SamplerState``.
public struct Sampler: Sendable {
  /// The sampling strategy.
  public let kind: SamplerKind
  /// The image indices drawn from, in the order given.
  public let pool: [Int]
  /// The number of classes (labels lie in `0 ..< classCount`).
  public let classCount: Int
  /// Pool images per class.
  public let classCounts: [Int]
  /// The probability with which each draw falls in each class (for ``SamplerKind/uniform`` the
  /// long-run share, `N_i / N`).
  public let classProbabilities: [Double]

  private let members: [[Int]]
  private let nonEmptyClasses: [Int]
  private let cumulative: [Double]
  private var generator: SplitMix64
  private var permutation: [Int]
  private var position: Int

  /// Creates a sampler over `indices`, seeded with `seed`.
  ///
  /// - Parameters:
  ///   - kind: the strategy.
  ///   - indices: the pool, non-empty.
  ///   - labels: the label of every image of the data set, indexed by image index (e.g.
  ///     `dataset.labels`), not parallel to `indices`.
  ///   - classCount: the number of classes; by default one more than the largest label in the pool.
  ///   - seed: seeds the generator.
  public init(kind: SamplerKind, indices: [Int], labels: [Int], classCount: Int? = nil, seed: UInt64) {
    require(!indices.isEmpty, "Sampler: indices (the pool) must not be empty, got no indices")
    let classes = classCount ?? ((indices.map { labels[$0] }.max() ?? 0) + 1)
    var members = Array(repeating: [Int](), count: classes)
    for index in indices {
      let label = labels[index]
      // Once per pool image when the sampler is made, not per draw; a wrong label would write outside `members`.
      require(
        label >= 0 && label < classes,
        "Sampler: label \(label) of image \(index) lies outside 0..<\(classes) (classCount)")
      members[label].append(index)
    }
    let counts = members.map(\.count)
    let largest = Double(counts.max()!)
    let weights: [Double] =
      switch kind {
      case .uniform: counts.map { Double($0) }
      case .classBalanced: counts.map { $0 > 0 ? 1 : 0 }
      case .reversed: counts.map { $0 > 0 ? largest / Double($0) : 0 }
      }
    let total = weights.reduce(0, +)
    let probabilities = weights.map { $0 / total }
    var running = 0.0
    var cumulative = probabilities.map { probability -> Double in
      running += probability
      return running
    }
    // Guard against rounding: from the last non-empty class on, the distribution is complete.
    let lastNonEmpty = counts.lastIndex(where: { $0 > 0 })!
    for index in lastNonEmpty..<cumulative.count { cumulative[index] = 1 }

    self.kind = kind
    self.pool = indices
    self.classCount = classes
    self.classCounts = counts
    self.classProbabilities = probabilities
    self.members = members
    self.nonEmptyClasses = counts.indices.filter { counts[$0] > 0 }
    self.cumulative = cumulative
    self.generator = SplitMix64(seed: seed)
    self.permutation = []
    self.position = 0
    if kind == .uniform {
      permutation = indices
      permutation.stableShuffle(using: &generator)
    }
  }

  /// Recreates a sampler over the same pool in a saved state.
  ///
  /// - Throws: ``DataError/invalidSamplerState(reason:)`` if `state` was saved by a different kind of
  ///   sampler or over a different pool.
  public init(
    kind: SamplerKind, indices: [Int], labels: [Int], classCount: Int? = nil, state: SamplerState
  ) throws {
    self.init(kind: kind, indices: indices, labels: labels, classCount: classCount, seed: 0)
    try restore(state)
  }

  /// The number of draws that make one epoch: the pool size, for every kind.
  public var epochLength: Int { pool.count }

  /// The complete current state.
  public var state: SamplerState {
    SamplerState(
      kind: kind, generatorState: generator.state, permutation: permutation, position: position)
  }

  /// Puts the sampler into a saved state.
  ///
  /// - Throws: ``DataError/invalidSamplerState(reason:)`` if `state` was saved by a different kind of
  ///   sampler or over a different pool.
  public mutating func restore(_ state: SamplerState) throws {
    guard state.kind == kind else {
      throw DataError.invalidSamplerState(
        reason: "saved by a \(state.kind.rawValue) sampler, restored into a \(kind.rawValue) sampler")
    }
    if kind == .uniform {
      guard state.permutation.count == pool.count, state.permutation.sorted() == pool.sorted() else {
        throw DataError.invalidSamplerState(
          reason: "the saved permutation (\(state.permutation.count) images) is not a permutation of "
            + "the pool (\(pool.count) images)")
      }
      guard (0...pool.count).contains(state.position) else {
        throw DataError.invalidSamplerState(
          reason: "position \(state.position) outside 0...\(pool.count)")
      }
    } else {
      guard state.permutation.isEmpty else {
        throw DataError.invalidSamplerState(reason: "a \(kind.rawValue) sampler has no permutation")
      }
    }
    generator.state = state.generatorState
    permutation = state.permutation
    position = state.position
  }

  /// Draws the next image index.
  public mutating func next() -> Int {
    switch kind {
    case .uniform:
      if position == permutation.count {
        permutation.stableShuffle(using: &generator)
        position = 0
      }
      defer { position += 1 }
      return permutation[position]
    case .classBalanced:
      let label = nonEmptyClasses[generator.uniformIndex(below: nonEmptyClasses.count)]
      return drawImage(of: label)
    case .reversed:
      let u = generator.unitDouble()
      // First class whose cumulative probability exceeds u (binary search).
      var low = 0
      var high = cumulative.count - 1
      while low < high {
        let middle = (low + high) / 2
        if cumulative[middle] > u { high = middle } else { low = middle + 1 }
      }
      return drawImage(of: low)
    }
  }

  /// Draws the next `size` image indices. Uniform batches run on into the next epoch (reshuffled)
  /// when the current one ends.
  public mutating func nextBatch(size: Int) -> [Int] {
    require(size >= 0, "Sampler.nextBatch: size must not be negative, got \(size)")
    var batch = [Int]()
    batch.reserveCapacity(size)
    for _ in 0..<size { batch.append(next()) }
    return batch
  }

  private mutating func drawImage(of label: Int) -> Int {
    let images = members[label]
    return images[generator.uniformIndex(below: images.count)]
  }
}
