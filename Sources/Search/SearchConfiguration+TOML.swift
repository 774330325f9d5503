import Data
import Foundation
import RunEvents
import TOMLKit

/// One TOML setting: where it lives, how to read it into a configuration and how to write it back.
struct ConfigurationSetting {
  let section: String?
  let key: String
  let read: (TOMLValueConvertible, inout SearchConfiguration) throws -> Void
  let write: (SearchConfiguration) -> TOMLValueConvertible?

  var path: String { section.map { "\($0).\(key)" } ?? key }
}

extension SearchConfiguration {
  /// Every setting of the TOML form; the single source of truth for reading and writing config files.
  static var settings: [ConfigurationSetting] {
    [
      enumeration(nil, "method", \.method),
      enumeration(nil, "preset", \.preset),
      enumeration("data", "dataset", \.dataset),
      optionalString("data", "data_dir", \.dataDirectory),
      double("data", "imbalance_ratio", \.imbalanceRatio),
      optionalInt("data", "max_per_class", \.maxPerClass),
      ConfigurationSetting(
        section: "data", key: "seed",
        read: { value, config in
          guard let v = value.int, v >= 0 else { throw typeError("data.seed", "a non-negative integer", value) }
          config.seed = UInt64(v)
        }, write: { Int(truncatingIfNeeded: $0.seed) }),
      optionalInt("data", "evaluation_limit", \.evaluationLimit),
      optionalInt("data", "validation_limit", \.validationLimit),
      int("network", "init_channels", \.initChannels),
      int("network", "layers", \.layers),
      int("network", "head_cells", \.headCells),
      int("search", "epochs", \.epochs),
      int("search", "batch_size", \.batchSize),
      optionalInt("search", "steps_per_epoch", \.stepsPerEpoch),
      enumeration("search", "order", \.order),
      optionalInt("search", "threads", \.threads),
      double("weights", "lr", \.weightLearningRate),
      double("weights", "lr_min", \.weightLearningRateMin),
      double("weights", "momentum", \.momentum),
      double("weights", "weight_decay", \.weightDecay),
      double("weights", "grad_clip", \.gradientClip),
      double("architecture", "lr", \.architectureLearningRate),
      double("architecture", "beta1", \.architectureBeta1),
      double("architecture", "beta2", \.architectureBeta2),
      double("architecture", "weight_decay", \.architectureWeightDecay),
      schedule("mu") {
        $0.mu = $1
      } get: {
        $0.mu
      },
      schedule("weight_lr") {
        $0.weightLearningRate = $1
      } get: {
        $0.weightLearningRate
      },
      schedule("backbone") {
        $0.architectureMultipliers[.normal] = $1
        $0.architectureMultipliers[.reduce] = $1
      } get: {
        $0.architectureMultipliers[.normal]
      },
      schedule("instance") {
        $0.architectureMultipliers[.instance] = $1
      } get: {
        $0.architectureMultipliers[.instance]
      },
      schedule("class") {
        $0.architectureMultipliers[.class] = $1
      } get: {
        $0.architectureMultipliers[.class]
      },
      double("loss", "cb_beta", \.classBalanceBeta),
      optionalInt("groups", "many_above", \.manyAbove),
      optionalInt("groups", "few_below", \.fewBelow),
      int("runs", "keep_checkpoints", \.keepCheckpoints),
    ]
  }

  /// Reads a TOML configuration over `base` (usually a preset); unknown keys and wrong types are errors.
  /// A `preset` key in the file resets the base to that preset before the other keys apply, unless
  /// `honoringPreset` is false (a `--preset` flag chose the base).
  public static func parse(
    toml text: String, over base: SearchConfiguration, source: String = "config", honoringPreset: Bool = true
  ) throws -> SearchConfiguration {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw SearchError.invalidSetting(
        "\(source): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
    }
    var config = base
    if honoringPreset, let presetValue = table["preset"] {
      guard let name = presetValue.string, let preset = SearchPreset(rawValue: name) else {
        throw SearchError.invalidSetting(
          "\(source): preset must be one of \(SearchPreset.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      config = SearchConfiguration(preset: preset, method: base.method)
    }
    let known = Dictionary(grouping: settings, by: { $0.section ?? "" })
    for key in table.keys {
      guard let value = table[key] else { continue }
      if let section = value.table, known[key] != nil {
        for inner in section.keys {
          guard let setting = known[key]?.first(where: { $0.key == inner }), let v = section[inner] else {
            throw SearchError.invalidSetting("\(source): unknown setting '\(key).\(inner)'")
          }
          try wrap(source) { try setting.read(v, &config) }
        }
      } else if key == "preset" && !honoringPreset {
        continue
      } else if let setting = known[""]?.first(where: { $0.key == key }) {
        try wrap(source) { try setting.read(value, &config) }
      } else {
        throw SearchError.invalidSetting("\(source): unknown setting '\(key)'")
      }
    }
    try wrap(source) { try config.validate() }
    return config
  }

  /// The configuration as TOML, every setting written out (the run's `config.toml`).
  public func tomlText() -> String {
    let root = TOMLTable()
    var sections: [String: TOMLTable] = [:]
    for setting in Self.settings {
      guard let value = setting.write(self) else { continue }
      if let section = setting.section {
        let table = sections[section] ?? TOMLTable()
        table[setting.key] = value
        sections[section] = table
      } else {
        root[setting.key] = value
      }
    }
    for (name, table) in sections { root[name] = table }
    return root.convert(to: .toml) + "\n"
  }

  private static func wrap(_ source: String, _ body: () throws -> Void) throws {
    do {
      try body()
    } catch let error as SearchError {
      if case .invalidSetting(let message) = error { throw SearchError.invalidSetting("\(source): \(message)") }
      throw error
    }
  }
}

private func typeError(_ path: String, _ expected: String, _ value: TOMLValueConvertible) -> SearchError {
  .invalidSetting("\(path) must be \(expected), got \(value.debugDescription)")
}

/// A setting read by `parse` (nil: the value has the wrong type, described by `expected`) and written back by
/// `write`; the builders below are its instances.
private func setting<Value>(
  _ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, Value>, expected: String,
  parse: @escaping (TOMLValueConvertible) -> Value?, write: @escaping (Value) -> TOMLValueConvertible?
) -> ConfigurationSetting {
  let name = section.map { "\($0).\(key)" } ?? key
  return ConfigurationSetting(
    section: section, key: key,
    read: { value, config in
      guard let v = parse(value) else { throw typeError(name, expected, value) }
      config[keyPath: path] = v
    }, write: { write($0[keyPath: path]) })
}

private func int(_ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, Int>)
  -> ConfigurationSetting
{
  setting(section, key, path, expected: "an integer", parse: { $0.int }, write: { $0 })
}

private func optionalInt(_ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, Int?>)
  -> ConfigurationSetting
{
  setting(section, key, path, expected: "an integer", parse: { $0.int.map { .some($0) } }, write: { $0 })
}

private func double(_ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, Double>)
  -> ConfigurationSetting
{
  setting(section, key, path, expected: "a number", parse: { $0.double ?? $0.int.map(Double.init) }, write: { $0 })
}

private func optionalString(_ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, String?>)
  -> ConfigurationSetting
{
  setting(section, key, path, expected: "a string", parse: { $0.string.map { .some($0) } }, write: { $0 })
}

private func enumeration<E: RawRepresentable & CaseIterable>(
  _ section: String?, _ key: String, _ path: WritableKeyPath<SearchConfiguration, E>
) -> ConfigurationSetting where E.RawValue == String {
  let choices = E.allCases.map(\.rawValue).joined(separator: ", ")
  return setting(
    section, key, path, expected: "one of \(choices)", parse: { $0.string.flatMap(E.init(rawValue:)) },
    write: { $0.rawValue })
}

/// A schedule in `[schedules]`, written in the curve text form (`cosine 1 0`).
private func schedule(
  _ key: String, set: @escaping (inout Schedules, Curve) -> Void, get: @escaping (Schedules) -> Curve?
) -> ConfigurationSetting {
  ConfigurationSetting(
    section: "schedules", key: key,
    read: { value, config in
      guard let text = value.string else {
        throw typeError("schedules.\(key)", "a schedule such as \"cosine 1 0\"", value)
      }
      let curve: Curve
      do {
        curve = try Curve(text: text)
      } catch {
        throw SearchError.invalidSetting("schedules.\(key): \(error)")
      }
      var schedules = config.resolvedSchedules
      set(&schedules, curve)
      config.schedules = schedules
    }, write: { get($0.resolvedSchedules)?.text })
}
