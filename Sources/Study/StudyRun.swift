import Foundation
import RunEvents
import RunStore
import Search
import Settings
import Training

/// One grid point of a study: its values, its resolved search and training, and where it lives. Its id is the
/// method and a hash of the resolved settings (threads left out: they decide speed, not the experiment), e.g.
/// `hls-3f9a0c21d7e4`, so the same settings always find the same run and changed settings make a new one.
public struct StudyRun: Sendable {
  /// The position in grid order (the `--job` of `tailnas study run`).
  public var index: Int
  /// The grid values of this point, by axis label: `[("method", "hls"), ("seed", 1)]`.
  public var values: [(label: String, value: ConfigValue)]
  public var search: SearchConfiguration
  /// The training after the search; nil when the study does not train.
  public var training: TrainingConfiguration?
  /// The run's folder: `<study>/runs/<id>`.
  public var directory: URL

  init(
    index: Int, values: [(label: String, value: ConfigValue)], search: SearchConfiguration,
    training: TrainingConfiguration?, runsDirectory: URL
  ) {
    self.index = index
    self.values = values
    self.search = search
    self.training = training
    directory = runsDirectory.appendingPathComponent(Self.id(search: search, training: training))
  }

  /// The run id: `<method>-<12 hex digits of the settings' hash>`.
  public var id: String { directory.lastPathComponent }

  /// The id of these settings. Settings a single-head search never reads (mu, and the instance and class
  /// heads' multipliers, unless a multiplier it does read follows mu) are left out, so that a grid crossing
  /// `method` with `mu` runs each single-head point once: its points at every mu share one run.
  static func id(search: SearchConfiguration, training: TrainingConfiguration?) -> String {
    var search = search
    search.threads = nil
    if !search.method.isTwoHead {
      search.scheduleOverrides.multipliers[.instance] = nil
      search.scheduleOverrides.multipliers[.class] = nil
      let followsMu = search.schedules.multipliers.values.contains { $0 == .mu || $0 == .oneMinusMu }
      if !followsMu { search.scheduleOverrides.mu = nil }
    }
    var text = search.tomlText()
    if var training {
      training.threads = nil
      text += "\n# training\n" + training.tomlText()
    }
    let hash = String(Self.fnv1a(Array(text.utf8)), radix: 16)
    return "\(search.method.rawValue)-" + String(String(repeating: "0", count: 16 - hash.count) + hash).prefix(12)
  }

  /// FNV-1a, 64 bits (Fowler, Noll, Vo): h = (h xor byte) * 1099511628211 from 14695981039346656037. An
  /// identifier, not a cryptographic digest.
  static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    bytes.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
  }

  /// `method=hls seed=1`.
  public var label: String { values.map { "\($0.label)=\($0.value.plain)" }.joined(separator: " ") }

  /// The value of axis `label` at this point, as text.
  public func value(_ label: String) -> String? { values.first { $0.label == label }?.value.plain }

  /// The run's search directory, if it exists.
  public var searchRun: RunDirectory? {
    try? RunDirectory.open(directory.path, runsDirectory: directory.deletingLastPathComponent())
  }

  /// The run's training directory (`<run>/train`), if it exists.
  public var trainingRun: RunDirectory? { searchRun?.trainingRuns().first }
}
