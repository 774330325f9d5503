internal import TOMLKit

/// One setting with the value given for it.
public struct SettingEntry<Root>: @unchecked Sendable {
  public let setting: Setting<Root>
  public let value: ConfigValue
  public let origin: SettingOrigin

  /// `setting` set to `value`, as given at `origin`.
  public init(setting: Setting<Root>, value: ConfigValue, origin: SettingOrigin) {
    self.setting = setting
    self.value = value
    self.origin = origin
  }

  /// The setting as the user named it: `--epochs` or `x.toml: search.epochs`.
  public var name: String {
    switch origin {
    case .flag: setting.flagName
    case .file(let source): "\(source): \(setting.path)"
    }
  }
}
