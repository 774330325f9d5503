import ArgumentParser
import Foundation
import Search
import Settings

/// A `--config` file that cannot be read.
enum ConfigurationFileError: Error, CustomStringConvertible {
  case missing(path: String)
  case unreadable(path: String, reason: String)

  var description: String {
    switch self {
    case .missing(let path): "the config file \(path) does not exist"
    case .unreadable(let path, let reason): "cannot read the config file \(path): \(reason)"
    }
  }
}
