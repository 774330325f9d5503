import ArgumentParser
import Foundation
import Search
import Settings

/// A file named by a flag (`--config`, `--genotype-file`) that cannot be read; `kind` names it in the
/// message ("config file", "genotype file").
enum ConfigurationFileError: Error, CustomStringConvertible {
  case missing(path: String, kind: String)
  case unreadable(path: String, kind: String, reason: String)

  var description: String {
    switch self {
    case .missing(let path, let kind): "the \(kind) \(path) does not exist"
    case .unreadable(let path, let kind, let reason): "cannot read the \(kind) \(path): \(reason)"
    }
  }
}
