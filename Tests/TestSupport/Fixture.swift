import Engine
import Foundation

/// One PyTorch-computed case from `../shared/fixtures` (or `$TAILNAS_FIXTURES`), or from its `eval/`
/// directory of evaluation-network cases (or `$TAILNAS_FIXTURES_EVAL`).
public struct Fixture: Sendable {
  public let name: String
  public let file: SafeTensors
  /// The case settings from the manifest.
  public let settings: [String: FixtureValue]

  /// The fixture directory: `$TAILNAS_FIXTURES`, else `shared/fixtures` beside the repository.
  public static var directory: URL {
    if let path = ProcessInfo.processInfo.environment["TAILNAS_FIXTURES"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
  }

  /// The evaluation-network fixture directory: `$TAILNAS_FIXTURES_EVAL`, else `eval` inside `directory`.
  /// It has its own `manifest.json`.
  public static var evalDirectory: URL {
    if let path = ProcessInfo.processInfo.environment["TAILNAS_FIXTURES_EVAL"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return directory.appendingPathComponent("eval")
  }

  /// Every case name of `kind` in the manifest of `directory` (the search fixtures unless told), sorted.
  public static func names(kind: String, in directory: URL = Fixture.directory) throws -> [String] {
    try manifest(in: directory).filter { $0.value["kind"]?.string == kind }.keys.sorted()
  }

  static func manifest(in directory: URL = Fixture.directory) throws -> [String: [String: FixtureValue]] {
    let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
    return try JSONDecoder().decode([String: [String: FixtureValue]].self, from: data)
  }

  /// The case `name` of the fixture directory `directory` (the search fixtures unless told).
  public init(_ name: String, in directory: URL = Fixture.directory) throws {
    self.name = name
    file = try SafeTensors(contentsOf: directory.appendingPathComponent("\(name).safetensors"))
    settings = try Self.manifest(in: directory)[name] ?? [:]
  }

  /// The case `name` of the evaluation-network fixtures (`evalDirectory`).
  public static func eval(_ name: String) throws -> Fixture {
    try Fixture(name, in: evalDirectory)
  }

  public func tensor(_ key: String) throws -> Tensor { try file.tensor(key) }

  public func has(_ key: String) -> Bool { file.tensors[key] != nil }

  /// Integer setting.
  public func int(_ key: String, default value: Int = 0) -> Int { settings[key]?.number.map { Int($0) } ?? value }

  public func double(_ key: String, default value: Double = 0) -> Double { settings[key]?.number ?? value }

  public func bool(_ key: String) -> Bool { settings[key]?.bool ?? false }

  public func string(_ key: String) -> String? { settings[key]?.string }

  /// Names of the `param/...` tensors without the prefix.
  public var parameterNames: [String] { names(prefix: "param/") }

  /// Names of the `buffer/...` tensors (batch-norm running statistics) without the prefix.
  public var bufferNames: [String] { names(prefix: "buffer/") }

  /// Names of the tensors whose key starts with `prefix`, without it, sorted.
  public func names(prefix: String) -> [String] {
    file.tensors.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
  }
}

/// A JSON value of the manifest.
public indirect enum FixtureValue: Codable, Sendable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case array([FixtureValue])
  case object([String: FixtureValue])
  case other

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([FixtureValue].self) {
      self = .array(a)
    } else if let o = try? c.decode([String: FixtureValue].self) {
      self = .object(o)
    } else {
      self = .other
    }
  }

  public func encode(to encoder: Encoder) throws {}

  public var number: Double? { if case .number(let d) = self { d } else { nil } }
  public var string: String? { if case .string(let s) = self { s } else { nil } }
  public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
}

/// The first element of `actual` that differs from `expected` by more than `absolute + relative * |expected|`,
/// described, or nil when all match.
public func mismatch(_ actual: Tensor, _ expected: Tensor, relative: Float = 1e-4, absolute: Float = 1e-5) -> String? {
  guard actual.count == expected.count else { return "shape \(actual.shape) vs expected \(expected.shape)" }
  var worst: (Int, Float)? = nil
  for i in 0..<actual.count {
    let a = actual[i]
    let e = expected[i]
    let excess = abs(a - e) - (absolute + relative * abs(e))
    if !(excess <= 0) && (worst == nil || excess > worst!.1 || excess.isNaN) { worst = (i, excess) }
  }
  guard let (i, _) = worst else { return nil }
  return "element \(i): \(actual[i]) vs expected \(expected[i]) (max |diff| \(maxAbsDifference(actual, expected)))"
}

/// The largest |a - e| over the elements.
public func maxAbsDifference(_ a: Tensor, _ e: Tensor) -> Float {
  var m: Float = 0
  for i in 0..<min(a.count, e.count) { m = max(m, abs(a[i] - e[i])) }
  return m
}

/// Whether `actual` is within `relative` of the largest |expected| entry, the second-order tolerance.
public func mismatchRelativeToMax(_ actual: Tensor, _ expected: Tensor, relative: Float) -> String? {
  var scale: Float = 0
  for i in 0..<expected.count { scale = max(scale, abs(expected[i])) }
  let d = maxAbsDifference(actual, expected)
  return d <= relative * scale ? nil : "max |diff| \(d) exceeds \(relative) x \(scale)"
}

extension Fixture {
  /// nil when `actual` matches tensor `key` within the fixture tolerances, else a message naming the key.
  public func compare(_ actual: Tensor, _ key: String) throws -> String? {
    try mismatch(actual, tensor(key)).map { "\(name) \(key): \($0)" }
  }

  /// As `compare`, with the absolute tolerance `absoluteOfMax` times the largest |expected| entry of the
  /// tensor (for values float32 cannot reach element by element, e.g. gradients through batch norms of a
  /// handful of values per channel).
  public func compare(_ actual: Tensor, _ key: String, absoluteOfMax: Float) throws -> String? {
    let expected = try tensor(key)
    let scale = expected.scalars.reduce(0) { max($0, abs($1)) }
    return mismatch(actual, expected, absolute: max(1e-5, absoluteOfMax * scale)).map { "\(name) \(key): \($0)" }
  }
}
