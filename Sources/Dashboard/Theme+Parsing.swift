import Foundation

/// A problem in a theme file.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var line: Int
  public var message: String

  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  /// `dark.toml:3: unknown key "foo"`.
  public var description: String { "\(file):\(line): \(message)" }
}

extension Theme {
  /// Parses a theme file: a TOML subset of `key = "value"` lines and `#` comments.
  ///
  /// ```
  /// name = "dark"
  /// background = "#101418"
  /// text = "#d0d4d8"
  /// heat = ["#440154", "#21918c", "#fde725"]
  /// ```
  /// Keys are `name`, `heat` and the raw values of `ColorRole` (`text`, `muted`, `paused`, `pause_band`,
  /// ...). Roles left out take the built-in colour. `fileName` is used in error messages and, without its
  /// extension, as the default name.
  public static func parse(_ text: String, fileName: String) throws -> Theme {
    var name = (fileName as NSString).deletingPathExtension
    var palette: [ColorRole: RGB] = [:]
    var heat: [RGB] = []
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let lineNumber = index + 1
      let line = stripComment(rawLine).trimmingCharacters(in: .whitespaces)
      if line.isEmpty { continue }
      guard let equals = line.firstIndex(of: "=") else {
        throw ThemeError(file: fileName, line: lineNumber, message: "expected key = value")
      }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      func color(_ text: String) throws -> RGB {
        guard let rgb = RGB(hex: unquote(text)) else {
          throw ThemeError(file: fileName, line: lineNumber, message: "\"\(text)\" is not a #rrggbb colour")
        }
        return rgb
      }
      switch key {
      case "name":
        name = unquote(value)
      case "heat":
        guard value.hasPrefix("["), value.hasSuffix("]") else {
          throw ThemeError(file: fileName, line: lineNumber, message: "heat must be a list [\"#rrggbb\", ...]")
        }
        heat = try value.dropFirst().dropLast().split(separator: ",")
          .map { try color($0.trimmingCharacters(in: .whitespaces)) }
        if heat.count < 2 {
          throw ThemeError(file: fileName, line: lineNumber, message: "heat needs at least two colours")
        }
      default:
        guard let role = ColorRole(rawValue: key) else {
          throw ThemeError(file: fileName, line: lineNumber, message: "unknown key \"\(key)\"")
        }
        palette[role] = try color(value)
      }
    }
    return Theme(name: name, palette: palette, heatStops: heat.isEmpty ? Theme.builtIn.heatStops : heat)
  }

  /// Loads every `*.toml` file in `directory`, sorted by file name with `dark` first.
  ///
  /// Files that do not parse are skipped and reported in `errors`. When none load, the list is
  /// `[Theme.builtIn]`, so it is never empty.
  public static func load(directory: URL?) -> (themes: [Theme], errors: [ThemeError]) {
    guard let directory,
      let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return ([.builtIn], []) }
    var themes: [Theme] = []
    var errors: [ThemeError] = []
    let files = names.filter { $0.hasSuffix(".toml") }.sorted { a, b in
      if a.hasPrefix("dark.") != b.hasPrefix("dark.") { return a.hasPrefix("dark.") }
      return a < b
    }
    for file in files {
      do {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        themes.append(try parse(text, fileName: file))
      } catch let error as ThemeError {
        errors.append(error)
      } catch {
        errors.append(ThemeError(file: file, line: 0, message: "\(error)"))
      }
    }
    return (themes.isEmpty ? [.builtIn] : themes, errors)
  }

  private static func stripComment(_ line: Substring) -> String {
    // A `#` inside quotes is a colour, not a comment.
    var inQuotes = false
    var result = ""
    for character in line {
      if character == "\"" { inQuotes.toggle() }
      if character == "#", !inQuotes { break }
      result.append(character)
    }
    return result
  }

  private static func unquote(_ text: String) -> String {
    var t = Substring(text)
    if t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 { t = t.dropFirst().dropLast() }
    return String(t)
  }
}
