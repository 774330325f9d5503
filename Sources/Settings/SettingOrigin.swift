internal import TOMLKit

/// Where a setting's value came from, for messages.
public enum SettingOrigin: Sendable, Equatable {
  /// A command-line flag.
  case flag
  /// A TOML file (its path or another name).
  case file(String)
}
