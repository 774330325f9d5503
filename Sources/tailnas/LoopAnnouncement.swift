import RunLoop

/// What rank 0 tells the other ranks before a loop starts, so that they build the same phase: its kind,
/// run, configuration and NaN policy (its state follows in the loop's first message).
struct LoopAnnouncement: Codable {
  /// The phases a loop runs.
  enum Kind: String, Codable {
    case search
    case training
  }

  var kind: Kind
  var runID: String
  /// The configuration as TOML text.
  var configuration: String
  var nanPolicy: NaNPolicy
}
