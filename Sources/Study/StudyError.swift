/// Why a study cannot be read or run.
public enum StudyError: Error, CustomStringConvertible, Equatable {
  /// The study file does not exist.
  case missing(String)
  /// The study file or one of its runs' settings is invalid.
  case invalid(String)
  /// A job index outside the study.
  case noSuchJob(Int, count: Int)

  public var description: String {
    switch self {
    case .missing(let path): "the study file \(path) does not exist"
    case .invalid(let message): message
    case .noSuchJob(let job, let count): "the study has jobs 0...\(count - 1), not \(job)"
    }
  }
}
