import Foundation

/// The runs found under a runs directory.
public struct RunListing: Sendable {
  /// The runs directory listed.
  public var directory: URL
  /// Whether the directory exists.
  public var exists: Bool
  /// Readable runs, sorted by id; a search run's training runs follow it.
  public var runs: [RunSummary]
  /// One short line per run that could not be read, sorted by id.
  public var problems: [String]

  /// Lists `directory`: entries that are not runs (no `config.toml` or `events.jsonl`) are skipped silently;
  /// runs whose events cannot be read are named in `problems`.
  public init(directory: URL) {
    self.directory = directory
    var isDirectory: ObjCBool = false
    exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    runs = []
    problems = []
    guard exists else { return }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    for name in names where !name.hasPrefix(".") {
      let run: RunDirectory
      do {
        run = try RunDirectory.open(directory.appendingPathComponent(name).path, runsDirectory: directory)
      } catch {
        continue
      }
      for entry in [run] + run.trainingRuns() {
        do {
          runs.append(try RunSummary(directory: entry))
        } catch {
          problems.append("skipped \(entry.id): \(error)")
        }
      }
    }
  }
}
