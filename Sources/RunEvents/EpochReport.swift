import Architecture
import Foundation

/// The end of one epoch: metrics, architecture and schedules.
public struct EpochReport: Codable, Sendable, Equatable {
  public var epoch: Int
  /// Mean training loss and accuracy over the epoch's weight steps.
  public var train: SplitMetrics
  /// The search's architecture-training half; nil for a training run (it trains on the whole training set).
  public var validation: SplitMetrics?
  /// The balanced test set.
  public var test: SplitMetrics
  public var perClassAccuracy: [Double]
  /// Test accuracy of the many, medium and few-shot groups.
  public var groupAccuracy: [String: Double]
  /// Softmaxed alphas [edges][primitives] per searched component (none for a training run).
  public var alphas: [ArchitectureComponent: [[Double]]]
  public var genotypes: [ArchitectureComponent: CellGenotype]
  public var values: ScheduleValues
  public var seconds: Double

  public init(
    epoch: Int, train: SplitMetrics, validation: SplitMetrics?, test: SplitMetrics, perClassAccuracy: [Double],
    groupAccuracy: [String: Double], alphas: [ArchitectureComponent: [[Double]]],
    genotypes: [ArchitectureComponent: CellGenotype], values: ScheduleValues, seconds: Double
  ) {
    self.epoch = epoch
    self.train = train
    self.validation = validation
    self.test = test
    self.perClassAccuracy = perClassAccuracy
    self.groupAccuracy = groupAccuracy
    self.alphas = alphas
    self.genotypes = genotypes
    self.values = values
    self.seconds = seconds
  }
}
