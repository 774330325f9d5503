import ArgumentParser
import Foundation
import Search
import Settings

/// Reading a `--config` file.
enum ConfigurationFile {
  /// The text of `path`, named by the path in messages.
  static func read(_ path: String) throws -> (text: String, source: String) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConfigurationFileError.missing(path: path)
    }
    guard !isDirectory.boolValue else {
      throw ConfigurationFileError.unreadable(path: path, reason: "it is a directory")
    }
    do {
      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      guard let text = String(data: data, encoding: .utf8) else {
        throw ConfigurationFileError.unreadable(path: path, reason: "it is not UTF-8 text")
      }
      return (text, path)
    } catch let error as ConfigurationFileError {
      throw error
    } catch {
      throw ConfigurationFileError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }
}
