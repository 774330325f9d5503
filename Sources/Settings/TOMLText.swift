internal import TOMLKit

/// TOML scalars, written by hand so numbers keep their shortest round-trip form (`lr = 0.0003`, not the
/// 17 digits a general writer prints).
enum TOMLText {
  static func value(_ value: ConfigValue) -> String {
    switch value {
    case .integer(let v): return String(v)
    case .number(let v):
      if v.isNaN { return "nan" }
      if v.isInfinite { return v > 0 ? "inf" : "-inf" }
      let text = "\(v)"
      // A TOML float needs a fraction or an exponent.
      return text.contains(".") || text.contains("e") ? text : text + ".0"
    case .text(let v): return quoted(v)
    case .boolean(let v): return v ? "true" : "false"
    }
  }

  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7f {
          out +=
            "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
            + String(scalar.value, radix: 16)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
