import RunEvents

/// One point of the step history (possibly the mean of several steps after down-sampling).
public struct StepSample: Sendable, Equatable {
  public var globalStep: Double
  public var trainLoss: Double
  public var validationLoss: Double
  /// NaN without an auxiliary head.
  public var auxiliaryLoss: Double
  /// NaN when the method has one head.
  public var trainLossInstance: Double
  public var trainLossClass: Double
  public var weightLearningRate: Double
  public var mu: Double
  /// Architecture learning rates of the backbone, instance and class components.
  public var backboneLearningRate: Double
  public var instanceLearningRate: Double
  public var classLearningRate: Double
  public var imagesPerSecond: Double
  /// The drop-path probability of a training run, NaN for a search.
  public var dropPath: Double

  /// The sample of one step report.
  public init(_ report: StepReport) {
    globalStep = Double(report.globalStep)
    trainLoss = report.trainLoss
    validationLoss = report.validationLoss ?? .nan
    auxiliaryLoss = report.auxiliaryLoss ?? .nan
    trainLossInstance = report.trainLossInstance ?? .nan
    trainLossClass = report.trainLossClass ?? .nan
    weightLearningRate = report.values.weightLearningRate
    mu = report.values.mu
    let rates = report.values.architectureLearningRates
    backboneLearningRate = rates[.normal] ?? .nan
    instanceLearningRate = rates[.instance] ?? .nan
    classLearningRate = rates[.class] ?? .nan
    imagesPerSecond = report.imagesPerSecond
    dropPath = report.values.dropPath ?? .nan
  }

  /// The field-wise combination of two samples.
  func combined(with other: StepSample, _ f: (Double, Double) -> Double) -> StepSample {
    var r = self
    r.globalStep = f(globalStep, other.globalStep)
    r.trainLoss = f(trainLoss, other.trainLoss)
    r.validationLoss = f(validationLoss, other.validationLoss)
    r.auxiliaryLoss = f(auxiliaryLoss, other.auxiliaryLoss)
    r.trainLossInstance = f(trainLossInstance, other.trainLossInstance)
    r.trainLossClass = f(trainLossClass, other.trainLossClass)
    r.weightLearningRate = f(weightLearningRate, other.weightLearningRate)
    r.mu = f(mu, other.mu)
    r.backboneLearningRate = f(backboneLearningRate, other.backboneLearningRate)
    r.instanceLearningRate = f(instanceLearningRate, other.instanceLearningRate)
    r.classLearningRate = f(classLearningRate, other.classLearningRate)
    r.imagesPerSecond = f(imagesPerSecond, other.imagesPerSecond)
    r.dropPath = f(dropPath, other.dropPath)
    return r
  }

  /// The field-wise mean of `self` and `other`.
  func averaged(with other: StepSample) -> StepSample {
    combined(with: other) { ($0 + $1) / 2 }
  }
}

/// The step history with bounded memory: once `capacity` samples are stored, neighbouring pairs are merged
/// (averaged) and later steps are averaged in groups of the new stride, so a run of any length keeps between
/// capacity/2 and capacity evenly spaced samples.
public struct StepHistory: Sendable, Equatable {
  public private(set) var samples: [StepSample] = []
  /// How many steps each stored sample stands for.
  public private(set) var stride = 1
  public let capacity: Int
  /// The most recent step, never averaged.
  public private(set) var latest: StepReport?
  /// How many steps were added.
  public private(set) var count = 0
  private var pending: [StepSample] = []

  public init(capacity: Int = 2048) {
    self.capacity = max(capacity - capacity % 2, 4)
  }

  /// Adds one step.
  public mutating func append(_ report: StepReport) {
    latest = report
    count += 1
    pending.append(StepSample(report))
    guard pending.count >= stride else { return }
    var merged = pending[0]
    for sample in pending.dropFirst() { merged = merged.combined(with: sample, +) }
    let n = Double(pending.count)
    if n > 1 { merged = merged.combined(with: merged) { a, _ in a / n } }
    pending.removeAll(keepingCapacity: true)
    samples.append(merged)
    if samples.count >= capacity {
      samples = Swift.stride(from: 0, to: samples.count - 1, by: 2).map { samples[$0].averaged(with: samples[$0 + 1]) }
      stride *= 2
    }
  }

  /// The stored samples followed by the partial group not yet merged, so the newest step is always drawn.
  public var points: [StepSample] {
    pending.isEmpty ? samples : samples + pending
  }
}
