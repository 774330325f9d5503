import Foundation
import RunEvents
import Search
import Settings
import Training

/// A study (DESIGN.md §9): base settings plus a `[grid]` of lists; each grid point is one pipeline run (the
/// search, then the training of its genotype unless `[study] train = false`) in `<directory>/<name>/runs/`,
/// identified by a hash of its resolved settings, so running a study again redoes nothing and a new grid value
/// adds only its runs.
///
/// ```toml
/// preset = "tiny"
/// [data]
/// dataset = "synthetic"
/// [study]
/// name = "smoke"          # default: the file's name without .toml
/// train = true            # search, then train (default)
/// [grid]
/// method = ["darts", "hls"]
/// seed = [0, 1]
/// ```
public struct Study: Sendable {
  /// The study's name, its folder under `directory`.
  public var name: String
  /// The study file's path and text.
  public var source: String
  public var text: String
  /// Whether each run trains its genotype after the search.
  public var trains: Bool
  /// The grid's lists, in key order; the first varies slowest.
  public var axes: [StudyAxis]
  /// The study's folder: `<directory>/<name>`.
  public var directory: URL

  /// The study in `text` (the file `source`); its folder is `[study] directory` (relative to the file) or the
  /// file's own folder, then the name.
  public init(text: String, source: String) throws {
    self.text = text
    self.source = source
    let file = URL(fileURLWithPath: source)
    var name = file.deletingPathExtension().lastPathComponent
    var trains = true
    var folder = file.deletingLastPathComponent()
    for (key, value) in try TOMLLists.values(in: text, table: "study", source: source) {
      switch key {
      case "name":
        guard let text = value.text, !text.isEmpty, !text.contains("/") else {
          throw StudyError.invalid("\(source): study.name must be a folder name, got \(value)")
        }
        name = text
      case "train":
        guard let flag = value.boolean else {
          throw StudyError.invalid("\(source): study.train must be true or false, got \(value)")
        }
        trains = flag
      case "directory":
        guard let text = value.text else {
          throw StudyError.invalid("\(source): study.directory must be a path, got \(value)")
        }
        folder = URL(fileURLWithPath: text, relativeTo: folder).standardizedFileURL
      default:
        throw StudyError.invalid(
          "\(source): unknown setting 'study.\(key)' (the [study] table has name, train, directory)")
      }
    }
    self.name = name
    self.trains = trains
    directory = folder.appendingPathComponent(name)
    do {
      axes = try TOMLLists.arrays(in: text, table: "grid", source: source).map {
        try StudyAxis(key: $0.key, values: $0.values, source: source)
      }
    } catch let error as SettingError {
      throw StudyError.invalid(error.message)
    }
    var seen = Set<String>()
    for axis in axes where !seen.insert(axis.target.path).inserted {
      throw StudyError.invalid("\(source): the grid names \(axis.target.path) twice")
    }
  }

  /// Reads the study file at `path`.
  public init(contentsOf path: String) throws {
    guard let data = FileManager.default.contents(atPath: path) else { throw StudyError.missing(path) }
    guard let text = String(data: data, encoding: .utf8) else {
      throw StudyError.invalid("\(path) is not UTF-8 text")
    }
    try self.init(text: text, source: path)
  }

  /// Where the study's runs live.
  public var runsDirectory: URL { directory.appendingPathComponent("runs") }

  /// Every grid point: one value per axis, the last axis varying fastest; a study without a grid has one point.
  public var points: [[(axis: StudyAxis, value: ConfigValue)]] {
    axes.reduce([[]]) { partial, axis in
      partial.flatMap { point in axis.values.map { point + [(axis, $0)] } }
    }
  }

  /// Whether a TOML path of the study file belongs to a table the settings tables do not read.
  static func isStudyPath(_ path: String) -> Bool {
    path.hasPrefix("grid.") || path.hasPrefix("study.") || path == "grid" || path == "study"
  }

  /// The runs of the study, in grid order, resolved: each point's search (the file, then its grid values) and
  /// training (the search's preset and data, the file's `[train]`, then its `train.*` grid values).
  public func runs() throws -> [StudyRun] {
    try points.enumerated().map { index, point in try resolve(point, index: index) }
  }

  func resolve(_ point: [(axis: StudyAxis, value: ConfigValue)], index: Int) throws -> StudyRun {
    var searchEntries: [SettingEntry<SearchConfiguration>] = []
    var trainingEntries: [SettingEntry<TrainingConfiguration>] = []
    for (axis, value) in point {
      switch axis.target {
      case .search(let s): searchEntries.append(SettingEntry(setting: s, value: value, origin: .file(source)))
      case .training(let s): trainingEntries.append(SettingEntry(setting: s, value: value, origin: .file(source)))
      }
    }
    let file = (text: text, source: source)
    let search: SearchConfiguration
    var training: TrainingConfiguration?
    do {
      search = try SearchConfiguration.resolve(
        file: file, flags: searchEntries,
        isKnownElsewhere: { TrainingConfiguration.isTrainingPath($0) || Self.isStudyPath($0) })
    } catch {
      throw StudyError.invalid("run \(index) (\(Self.describe(point))): \(error)")
    }
    if trains {
      var base = TrainingConfiguration(preset: TrainingPreset(rawValue: search.preset.rawValue) ?? .demo)
      base.data = search.data
      base.method = search.method
      do {
        var resolved = try TrainingConfiguration.resolve(
          base: base, file: file, flags: trainingEntries,
          isKnownElsewhere: { SearchConfiguration.table.knows(path: $0) || Self.isStudyPath($0) })
        resolved.data = search.data
        resolved.method = search.method
        training = resolved
      } catch {
        throw StudyError.invalid("run \(index) (\(Self.describe(point))): \(error)")
      }
    } else if let first = trainingEntries.first {
      throw StudyError.invalid("\(source): grid.\(first.setting.path) varies the training, but study.train is false")
    }
    return StudyRun(
      index: index, values: point.map { ($0.axis.label, $0.value) }, search: search, training: training,
      runsDirectory: runsDirectory)
  }

  /// `method=hls, seed=1`.
  static func describe(_ point: [(axis: StudyAxis, value: ConfigValue)]) -> String {
    point.map { "\($0.axis.label)=\($0.value.plain)" }.joined(separator: ", ")
  }
}
