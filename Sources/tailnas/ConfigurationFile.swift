import ArgumentParser
import Foundation
import Search
import Settings

/// Reading a file a flag names: a `--config` file or a `--genotype-file`.
enum ConfigurationFile {
  /// The text of `path`, named by the path in messages and by `kind` ("config file") in errors. A pipe
  /// (`--config <(...)`) is read as a file is.
  static func read(_ path: String, kind: String = "config file") throws -> (text: String, source: String) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConfigurationFileError.missing(path: path, kind: kind)
    }
    guard !isDirectory.boolValue else {
      throw ConfigurationFileError.unreadable(path: path, kind: kind, reason: "it is a directory")
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw ConfigurationFileError.unreadable(path: path, kind: kind, reason: String(cString: strerror(errno)))
    }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.readToEnd() ?? Data()
    } catch {
      throw ConfigurationFileError.unreadable(path: path, kind: kind, reason: error.localizedDescription)
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigurationFileError.unreadable(path: path, kind: kind, reason: "it is not UTF-8 text")
    }
    return (text, path)
  }
}
