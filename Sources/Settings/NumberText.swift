/// Numbers as people write them.
public enum NumberText {
  /// The shortest decimal text that reads back as the same Double (`0.0003`, `100`, `2.5e-05`); `nan`, `inf`.
  public static func shortest(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }
}
