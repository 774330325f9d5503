import RunLoop

/// How a session is watched, which decides what a loss that is not finite does unless the configuration says.
enum Watching {
  case dashboard
  case headless

  /// Pause in the dashboard (a person can act), stop headless (nobody can unpause a batch job).
  func nanPolicy(configured: NaNPolicy?) -> NaNPolicy {
    configured ?? (self == .dashboard ? .pause : .stop)
  }
}
