import Presentation

/// One setting of a configuration type `Root`: where it lives in TOML (`section.key`), its flag, its help,
/// what it accepts, and how to read, check and write it. A `SettingsTable` of these drives the config file
/// reader and writer, the command-line flags, their help and the validation, so a setting is declared once.
public struct Setting<Root>: @unchecked Sendable {
  /// The TOML table the key lives in (`data`, `search`, ...); nil for a top-level key.
  public let section: String?
  /// The TOML key, e.g. `imbalance_ratio`.
  public let key: String
  /// The flag without its dashes, e.g. `imbalance-ratio`.
  public let flag: String
  /// The flag's value in help, e.g. `<ratio>`.
  public let valueName: String
  /// One sentence of help.
  public let help: String
  /// What the setting accepts.
  public let accepted: Accepted
  /// Whether the setting is written to config files (settings that edit another one, such as a schedule's
  /// start value, are read but not written).
  public let isWritten: Bool
  /// What an unset value means, for help and messages (e.g. `all cores`).
  public let unset: String
  /// Whether help shows the value of each preset (false where the default depends on other settings).
  public let showsDefault: Bool
  /// Whether the setting lives only in files (a marker such as a training run's `phase`): it has no flag and
  /// no line in the flag help.
  public let isFileOnly: Bool
  /// Parses and sets the value; throws the reason without the setting's name ("must be ..., got ...").
  let read: (ConfigValue, inout Root) throws -> Void
  /// The value to write and show, nil when unset.
  let current: (Root) -> ConfigValue?
  /// Why the current value is invalid, without the setting's name; nil when it is valid.
  let check: (Root) -> String?

  public init(
    section: String?, key: String, flag: String? = nil, valueName: String = "value", help: String, accepted: Accepted,
    isWritten: Bool = true, unset: String = "unset", showsDefault: Bool = true, isFileOnly: Bool = false,
    read: @escaping (ConfigValue, inout Root) throws -> Void,
    current: @escaping (Root) -> ConfigValue?, check: @escaping (Root) -> String? = { _ in nil }
  ) {
    self.section = section
    self.key = key
    self.flag = flag ?? key.replacingUnderscores
    self.valueName = valueName
    self.help = help
    self.accepted = accepted
    self.isWritten = isWritten
    self.unset = unset
    self.showsDefault = showsDefault
    self.isFileOnly = isFileOnly
    self.read = read
    self.current = current
    self.check = check
  }

  /// The same setting under another flag (e.g. `train-epochs` where two tables share one command line).
  public func withFlag(_ flag: String) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help, accepted: accepted,
      isWritten: isWritten, unset: unset, showsDefault: showsDefault, isFileOnly: isFileOnly, read: read,
      current: current, check: check)
  }

  /// `section.key`, as written in messages about a config file.
  public var path: String { section.map { "\($0).\(key)" } ?? key }

  /// `--flag`.
  public var flagName: String { "--" + flag }

  /// The current value as text for help and messages (what unset means when it is unset).
  public func display(_ root: Root) -> String { current(root)?.plain ?? unset }

  /// Sets the setting from `value`, as if read from a file or flag.
  public func apply(_ value: ConfigValue, to root: inout Root) throws {
    try read(value, &root)
  }

  /// The current value, nil when unset.
  public func value(in root: Root) -> ConfigValue? { current(root) }
}

extension String {
  var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}

extension Setting {
  /// An integer setting in `range`.
  public static func integer(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, Int>, range: NumberRange,
    valueName: String = "n", help: String
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help, accepted: .range(range),
      read: { value, root in root[keyPath: path] = try Self.readInteger(value, range: range) },
      current: { .integer($0[keyPath: path]) },
      check: { root in Self.rangeProblem(Double(root[keyPath: path]), range, shown: String(root[keyPath: path])) })
  }

  /// An optional integer setting in `range` (unset means the default the help describes).
  public static func optionalInteger(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, Int?>, range: NumberRange,
    valueName: String = "n", unset: String, help: String
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help, accepted: .range(range),
      unset: unset,
      read: { value, root in root[keyPath: path] = try Self.readInteger(value, range: range) },
      current: { $0[keyPath: path].map { .integer($0) } },
      check: { root in root[keyPath: path].flatMap { Self.rangeProblem(Double($0), range, shown: String($0)) } })
  }

  /// A number setting in `range`.
  public static func number(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, Double>, range: NumberRange,
    valueName: String = "x", help: String
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help, accepted: .range(range),
      read: { value, root in root[keyPath: path] = try Self.readNumber(value, range: range) },
      current: { .number($0[keyPath: path]) },
      check: { root in
        let v = root[keyPath: path]
        return Self.rangeProblem(v, range, shown: Format.shortest(v))
      })
  }

  /// A choice among an enumeration's raw values.
  public static func choice<E: RawRepresentable & CaseIterable>(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, E>,
    valueName: String = "name",
    help: String
  ) -> Setting where E.RawValue == String {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help,
      accepted: .choices(E.allCases.map(\.rawValue)),
      read: { value, root in root[keyPath: path] = try Self.readChoice(value, E.self) },
      current: { .text($0[keyPath: path].rawValue) })
  }

  /// An optional choice; unset means the default the help describes.
  public static func optionalChoice<E: RawRepresentable & CaseIterable>(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, E?>,
    valueName: String = "name", unset: String, help: String
  ) -> Setting where E.RawValue == String {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help,
      accepted: .choices(E.allCases.map(\.rawValue)),
      unset: unset,
      read: { value, root in root[keyPath: path] = try Self.readChoice(value, E.self) },
      current: { $0[keyPath: path].map { .text($0.rawValue) } })
  }

  /// An optional text setting (e.g. a directory).
  public static func optionalText(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, String?>,
    valueName: String = "text", unset: String, help: String
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: valueName, help: help, accepted: .text, unset: unset,
      read: { value, root in
        guard let text = value.text, !text.isEmpty else { throw SettingError("must be text, got \(value)") }
        root[keyPath: path] = text
      }, current: { $0[keyPath: path].map { .text($0) } })
  }

  /// A yes/no setting.
  public static func boolean(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, Bool>, help: String
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: "yes|no", help: help, accepted: .boolean,
      read: { value, root in
        guard let b = value.boolean else { throw SettingError("must be true or false, got \(value)") }
        root[keyPath: path] = b
      }, current: { .boolean($0[keyPath: path]) })
  }

  /// The accepted values of an enumeration, e.g. `first, second`.
  public static func choices<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
    E.allCases.map(\.rawValue).joined(separator: ", ")
  }

  public static func readChoice<E: RawRepresentable & CaseIterable>(_ value: ConfigValue, _ type: E.Type) throws -> E
  where E.RawValue == String {
    guard let text = value.text, let choice = E(rawValue: text.trimmingWhitespace) else {
      throw SettingError("must be one of \(choices(E.self)), got \(value)")
    }
    return choice
  }

  /// An integer in `range` from `value`.
  public static func readInteger(_ value: ConfigValue, range: NumberRange) throws -> Int {
    guard let v = value.integer else { throw SettingError("must be an integer (\(range)), got \(value)") }
    if let problem = rangeProblem(Double(v), range, shown: String(v)) { throw SettingError(problem) }
    return v
  }

  /// A number in `range` from `value`.
  public static func readNumber(_ value: ConfigValue, range: NumberRange) throws -> Double {
    guard let v = value.number else { throw SettingError("must be a number (\(range)), got \(value)") }
    if let problem = rangeProblem(v, range, shown: Format.shortest(v)) { throw SettingError(problem) }
    return v
  }

  static func rangeProblem(_ value: Double, _ range: NumberRange, shown: String) -> String? {
    if range.contains(value) { return nil }
    if range.lower != nil && range.upper != nil { return "must be in \(range), got \(shown)" }
    return "must be \(range), got \(shown)"
  }
}
