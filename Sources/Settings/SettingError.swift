/// An invalid setting, with a sentence that names it (`--epochs`, or `file.toml: search.epochs`) and says
/// what is accepted.
public struct SettingError: Error, CustomStringConvertible, Equatable, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }

  public var description: String { message }
}
