import Foundation
import RunEvents

#if canImport(Glibc)
  import Glibc
#endif

/// One run on disk: `runs/<id>/{config.toml, events.jsonl, checkpoints/epoch-NNN.safetensors}` and, while
/// a process runs it, `running.pid`.
public final class RunDirectory: @unchecked Sendable {
  public let url: URL
  /// The run id: its directory name, `<search id>/<name>` for a training run inside its search run.
  public var id: String { parent.map { "\($0.id)/\(url.lastPathComponent)" } ?? url.lastPathComponent }
  public var configurationPath: String { url.appendingPathComponent("config.toml").path }
  public var eventsPath: String { url.appendingPathComponent("events.jsonl").path }
  public var checkpointsURL: URL { url.appendingPathComponent("checkpoints") }
  var pidPath: String { url.appendingPathComponent("running.pid").path }

  init(url: URL) {
    self.url = url
  }

  /// Creates a new run directory under `runsDirectory` with a fresh id (`YYYYMMDD-HHMMSS-method`, made
  /// unique) and writes its configuration.
  public static func create(in runsDirectory: URL, method: String, configuration: String, date: Date = Date())
    throws -> RunDirectory
  {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd-HHmmss"
    let base = "\(formatter.string(from: date))-\(method)"
    try DurableFile.createDirectory(runsDirectory, what: "the runs directory")
    var candidate = runsDirectory.appendingPathComponent(base)
    var suffix = 2
    while mkdir(candidate.path, 0o755) != 0 {
      guard errno == EEXIST else {
        throw RunStoreError.ioFailure(path: candidate.path, reason: DurableFile.errnoText())
      }
      candidate = runsDirectory.appendingPathComponent("\(base)-\(suffix)")
      suffix += 1
    }
    return try prepare(RunDirectory(url: candidate), configuration: configuration)
  }

  /// The search run that holds this training run, when it lies inside one.
  public var parent: RunDirectory? {
    let up = url.deletingLastPathComponent()
    guard Self.isRun(up) else { return nil }
    return RunDirectory(url: up)
  }

  /// Whether `url` holds a run (its config and its event log).
  static func isRun(_ url: URL) -> Bool {
    ["config.toml", "events.jsonl"].allSatisfy {
      FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
    }
  }

  /// Whether the run's configuration is a training run's (its top-level `phase = "training"`).
  public var isTraining: Bool {
    guard let text = try? configurationText() else { return false }
    return text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == #"phase = "training""# }
  }

  /// The training runs inside this search run (`train`, `train-2`, ...), oldest first.
  public func trainingRuns() -> [RunDirectory] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { $0 == "train" || $0.hasPrefix("train-") }
      .sorted { (Int($0.dropFirst(6)) ?? 1) < (Int($1.dropFirst(6)) ?? 1) }
      .map { url.appendingPathComponent($0) }.filter(Self.isRun).map(RunDirectory.init(url:))
  }

  /// A new training run inside this search run: `train`, or `train-2`, `train-3`, ... when taken; its
  /// configuration is written and its event log created empty (the run is pending until it starts).
  public func createTrainingRun(configuration: String) throws -> RunDirectory {
    var name = "train"
    var suffix = 2
    while mkdir(url.appendingPathComponent(name).path, 0o755) != 0 {
      guard errno == EEXIST else {
        throw RunStoreError.ioFailure(path: url.appendingPathComponent(name).path, reason: DurableFile.errnoText())
      }
      name = "train-\(suffix)"
      suffix += 1
    }
    return try Self.prepare(RunDirectory(url: url.appendingPathComponent(name)), configuration: configuration)
  }

  /// Creates `checkpoints/`, writes the configuration and an empty event log.
  static func prepare(_ run: RunDirectory, configuration: String) throws -> RunDirectory {
    guard mkdir(run.checkpointsURL.path, 0o755) == 0 else {
      throw RunStoreError.ioFailure(path: run.checkpointsURL.path, reason: DurableFile.errnoText())
    }
    try DurableFile.writeAtomically(Array(configuration.utf8), to: run.configurationPath)
    if !FileManager.default.fileExists(atPath: run.eventsPath) {
      try DurableFile.writeAtomically([], to: run.eventsPath)
    }
    return run
  }

  /// Replaces the stored configuration (a pending training run gets its genotype when it starts).
  public func writeConfiguration(_ text: String) throws {
    try DurableFile.writeAtomically(Array(text.utf8), to: configurationPath)
  }

  /// Opens an existing run given a path or an id under `runsDirectory`.
  public static func open(_ reference: String, runsDirectory: URL) throws -> RunDirectory {
    var isDirectory: ObjCBool = false
    var url = URL(fileURLWithPath: reference)
    if !FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
      url = runsDirectory.appendingPathComponent(reference)
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
        throw RunStoreError.missing(path: reference)
      }
    }
    guard isDirectory.boolValue else { throw RunStoreError.notARun(path: url.path, reason: "it is not a directory") }
    let run = RunDirectory(url: url.standardizedFileURL)
    for (name, path) in [("config.toml", run.configurationPath), ("events.jsonl", run.eventsPath)] {
      guard FileManager.default.fileExists(atPath: path) else {
        throw RunStoreError.notARun(path: url.path, reason: "it has no \(name)")
      }
    }
    return run
  }

  /// The stored configuration text.
  public func configurationText() throws -> String {
    guard let data = FileManager.default.contents(atPath: configurationPath) else {
      throw RunStoreError.missing(path: configurationPath)
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Reads the events.
  /// The run's events; `salvage` skips damaged lines with a warning instead of failing (read-only commands).
  public func events(salvage: Bool = false) throws -> EventLog {
    try EventLog(path: eventsPath, salvage: salvage)
  }

  /// Checkpoint files, oldest first.
  public func checkpoints() -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpointsURL.path)) ?? []
    return names.filter { $0.hasPrefix("epoch-") && $0.hasSuffix(".safetensors") }.sorted()
      .map { checkpointsURL.appendingPathComponent($0) }
  }

  /// Marks the run as owned by this process until `releaseOwnership()` or process exit.
  public func claimOwnership() throws {
    try DurableFile.writeAtomically(Array("\(getpid())\n".utf8), to: pidPath)
  }

  /// Removes the ownership mark.
  public func releaseOwnership() {
    unlink(pidPath)
  }

  /// Whether a live process owns the run: the pid in `running.pid` names a process that exists, is not a
  /// zombie (a killed process its parent has not reaped yet), and where /proc tells, is a tailnas (a pid
  /// reused by another program does not count).
  public var isOwnedByLiveProcess: Bool {
    guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8),
      let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    else { return false }
    return Self.isLiveTailnas(pid)
  }

  /// Whether `pid` is a running (not zombie) tailnas process.
  static func isLiveTailnas(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 || errno == EPERM else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
    // The state follows the parenthesised command name: "pid (comm) S ...".
    if let close = stat.lastIndex(of: ")") {
      let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
      if state == "Z" || state == "X" { return false }
    }
    guard let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return true }
    let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    return arguments.first.map { ($0 as NSString).lastPathComponent.hasPrefix("tailnas") } ?? true
  }
}
