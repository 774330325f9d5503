import Search
import Settings
import Training

/// One list of a study's `[grid]`: the setting it varies and its values, e.g. `seed = [0, 1, 2]`. A key names a
/// search setting by its TOML path (`data.seed`, `schedules.mu`) or, when that is unambiguous, by its bare key
/// (`seed`, `mu`, `imbalance_ratio`); `train.<key>` names a setting of the training.
public struct StudyAxis: Sendable {
  /// The setting an axis varies.
  public enum Target: @unchecked Sendable {
    case search(Setting<SearchConfiguration>)
    case training(Setting<TrainingConfiguration>)

    /// The setting's TOML path, e.g. `data.seed` or `train.epochs`.
    public var path: String {
      switch self {
      case .search(let s): s.path
      case .training(let s): s.path
      }
    }
  }

  /// The key as the study file writes it.
  public var key: String
  public var target: Target
  public var values: [ConfigValue]

  /// The axis of grid key `key`; an unknown or ambiguous key is a `SettingError` naming the candidates.
  public init(key: String, values: [ConfigValue], source: String) throws {
    self.key = key
    self.values = values
    let search = SearchConfiguration.table.settings
    let training = TrainingConfiguration.table.settings.filter { TrainingConfiguration.isTrainingPath($0.path) }
    if let setting = search.first(where: { $0.path == key }) {
      target = .search(setting)
    } else if let setting = training.first(where: { $0.path == key }) {
      target = .training(setting)
    } else {
      let byKey = search.filter { $0.key == key }
      guard !byKey.isEmpty else {
        let known = search.map(\.path) + training.map(\.path)
        throw SettingError(
          "\(source): grid.\(key) is no setting; name one by its path, e.g. "
            + known.filter { $0.hasSuffix(key) || key.hasSuffix($0) }.prefix(3).joined(separator: ", ")
            + (known.contains { $0.hasSuffix(key) } ? "" : "data.seed, method, schedules.mu, train.epochs"))
      }
      guard byKey.count == 1 else {
        throw SettingError(
          "\(source): grid.\(key) is ambiguous: say \(byKey.map(\.path).joined(separator: " or "))")
      }
      target = .search(byKey[0])
    }
  }

  /// The axis's short name for tables: the key without its section (`seed`, `mu`, `train.epochs`).
  public var label: String {
    if case .training = target { return target.path }
    return String(target.path.split(separator: ".").last ?? Substring(key))
  }
}
