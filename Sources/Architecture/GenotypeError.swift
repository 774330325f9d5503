/// A genotype that cannot be read or used, with what is wrong and where.
public enum GenotypeError: Error, CustomStringConvertible, Equatable {
  /// The text does not parse; `line` and `column` count from 1.
  case syntax(source: String, line: Int, column: Int, message: String)
  /// The text parses but does not describe a cell (e.g. an unknown primitive or an input that does not exist).
  case invalid(String)
  /// A genotypes file has no genotype of that name.
  case notFound(name: String, source: String, available: [String])

  public var description: String {
    switch self {
    case .syntax(let source, let line, let column, let message): "\(source):\(line):\(column): \(message)"
    case .invalid(let message): message
    case .notFound(let name, let source, let available):
      "\(source) has no genotype named \(name)"
        + (available.isEmpty ? " (it defines none)" : "; it defines \(available.joined(separator: ", "))")
    }
  }
}
