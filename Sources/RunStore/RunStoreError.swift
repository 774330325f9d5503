/// Problems with run directories, each naming the path.
public enum RunStoreError: Error, CustomStringConvertible, Equatable {
  case notARun(path: String, reason: String)
  case missing(path: String)
  case ioFailure(path: String, reason: String)
  case corruptEvents(path: String, line: Int, reason: String)
  case corruptCheckpoint(path: String, reason: String)
  case noCheckpoint(path: String)

  public var description: String {
    switch self {
    case .notARun(let path, let reason): "\(path) is not a tailnas run: \(reason)"
    case .missing(let path): "\(path) does not exist"
    case .ioFailure(let path, let reason): "\(path): \(reason)"
    case .corruptEvents(let path, let line, let reason): "\(path):\(line): \(reason)"
    case .corruptCheckpoint(let path, let reason): "\(path) is not a usable checkpoint: \(reason)"
    case .noCheckpoint(let path):
      "\(path) has no checkpoint to resume from (the run stopped before its first epoch ended)"
    }
  }
}
