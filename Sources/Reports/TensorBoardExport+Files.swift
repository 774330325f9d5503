import Foundation
import RunEvents
import RunStore

#if canImport(Glibc)
  import Glibc
#endif

extension TensorBoardExport {
  /// What writing runs' event files did.
  public struct Written: Sendable, Equatable {
    /// The event files written, one per run.
    public var files: [URL] = []
    /// What the caller should tell the user: damaged lines skipped in the event logs, runs left out because
    /// they recorded nothing yet, other event files beside those written (TensorBoard would show them too).
    public var warnings: [String] = []

    public init(files: [URL] = [], warnings: [String] = []) {
      self.files = files
      self.warnings = warnings
    }
  }

  /// This machine's host name for event file names (`/` and whitespace replaced), `localhost` if unknown.
  public static var hostName: String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    let name = String(decoding: bytes, as: UTF8.self).map { $0 == "/" || $0.isWhitespace ? "_" : $0 }
    return name.isEmpty ? "localhost" : String(name)
  }

  /// Writes the run's event file into `root/<subdirectory>` (created if needed), atomically through
  /// `DurableFile`, so an export cut short (a full disk) leaves the previous one whole; then removes the
  /// earlier tailnas exports there (event files ending in `.tailnas`), which TensorBoard would show beside the
  /// new one. Other event files are left alone. Returns the file; throws `RunExportError.nothingRecorded` for a
  /// run with no step and no epoch.
  @discardableResult
  public func write(to root: URL, host: String = Self.hostName) throws -> URL {
    guard hasScalars else { throw RunExportError.nothingRecorded(run: runID) }
    let directory = root.appendingPathComponent(subdirectory, isDirectory: true)
    try DurableFile.createDirectory(directory, what: "the TensorBoard run directory")
    let file = directory.appendingPathComponent(fileName(host: host))
    try DurableFile.writeAtomically(fileBytes(), to: file.path)
    for older in Self.eventFiles(in: directory)
    where older.lastPathComponent != file.lastPathComponent && older.lastPathComponent.hasSuffix(Self.fileSuffix) {
      guard unlink(older.path) == 0 || errno == ENOENT else {
        let reason = String(cString: strerror(errno))
        throw RunStoreError.ioFailure(path: older.path, reason: "cannot remove this older export: \(reason)")
      }
    }
    return file
  }

  /// Writes the event file of the run `history` tells (id `runID`) under `root`, as `write(to:)` does: into
  /// `root/<id>/search` for a search, `root/<search id>/<train name>` or `root/<id>/train` for a training run.
  /// The history holds no times, so every record's wall time is the export's; `write(run:to:)` reads the run's
  /// directory and keeps the event log's times.
  @discardableResult
  public static func write(history: RunHistory, runID: String, to root: URL) throws -> URL {
    try TensorBoardExport(history: history, runID: runID).write(to: root)
  }

  /// Writes the event files of `run` under `root`, one TensorBoard run per tailnas run: a search run and
  /// (with `trainings`) every training run inside it, or a training run alone. `name` (default: the run's id)
  /// replaces the id in the directories, e.g. `hls/seed-0` gives `root/hls/seed-0/search` and
  /// `root/hls/seed-0/train`, so a study's runs show in TensorBoard by their settings; it is a relative path
  /// without `.` or `..` parts (else `RunExportError.invalidRunName`). Damaged event-log lines are skipped with
  /// a warning, as the other exports do; a training run that recorded nothing yet is left out with a warning,
  /// but `run` itself must have recorded a step or an epoch.
  public static func write(run: RunDirectory, named name: String? = nil, trainings: Bool = true, to root: URL)
    throws -> Written
  {
    if let name {
      let parts = name.split(separator: "/", omittingEmptySubsequences: false)
      guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
        throw RunExportError.invalidRunName(name)
      }
    }
    var written = Written()
    let runs = [run] + (trainings ? run.trainingRuns() : [])
    for (index, directory) in runs.enumerated() {
      let log = try directory.events(salvage: true)
      written.warnings += log.warnings
      var id = directory.id
      if let name {
        let inside = index > 0 || directory.parent != nil
        id = inside ? "\(name)/\(directory.url.lastPathComponent)" : name
      }
      let export = TensorBoardExport(log: log, runID: id)
      guard export.hasScalars else {
        if index == 0 { throw RunExportError.nothingRecorded(run: directory.id) }
        written.warnings.append("\(directory.id) has recorded nothing yet; it is left out of the TensorBoard export")
        continue
      }
      let file = try export.write(to: root)
      written.files.append(file)
      for other in eventFiles(in: file.deletingLastPathComponent())
      where other.lastPathComponent != file.lastPathComponent {
        written.warnings.append(
          "\(other.path) is not a tailnas export but lies in \(directory.id)'s TensorBoard directory; TensorBoard "
            + "shows its scalars with the run's")
      }
    }
    return written
  }

  /// The event files in `directory`: those whose name contains `tfevents`, as TensorBoard finds them, sorted.
  public static func eventFiles(in directory: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.contains("tfevents") && !$0.contains(".tmp-") }.sorted()
      .map { directory.appendingPathComponent($0) }
  }
}
