import Architecture
import ArgumentParser
import Datasets
import Foundation
import Reports
import RunStore
import Search
import Settings
import Terminal
import Training

/// The process exit codes (sysexits-style); the README lists them.
enum ExitStatus {
  /// The search finished.
  static let success: Int32 = 0
  /// The search failed while running (e.g. a full disk).
  static let failed: Int32 = 1
  /// The search was stopped before its last epoch; `tailnas resume` continues it.
  static let stopped: Int32 = 3
  /// Invalid flags or configuration values.
  static let usage: Int32 = 64
  /// A data or run file is malformed.
  static let dataError: Int32 = 65
  /// A data file or run is missing.
  static let noInput: Int32 = 66
  /// The terminal cannot show the dashboard.
  static let unavailable: Int32 = 69
  /// Reading or writing files failed.
  static let ioError: Int32 = 74

  /// The exit code for an error, with the error printed to standard error.
  static func exit(for error: Error) -> ExitCode {
    let code: Int32
    switch error {
    case let e as DataError:
      switch e {
      case .missingFile: code = noInput
      default: code = dataError
      }
    case let e as RunStoreError:
      switch e {
      case .missing, .noCheckpoint: code = noInput
      case .ioFailure: code = ioError
      default: code = dataError
      }
    case let e as RunExportError:
      switch e {
      case .noEpochs: code = noInput
      case .invalidName: code = usage
      }
    case is SearchError, is SettingError: code = usage
    case let e as ConfigurationFileError:
      switch e {
      case .missing: code = noInput
      case .unreadable: code = ioError
      }
    case let e as GenotypeError:
      switch e {
      case .notFound: code = usage  // the name came from --genotype-name
      case .syntax, .invalid: code = dataError
      }
    case let e as TrainingError:
      switch e {
      case .invalidSetting, .invalidGenotype: code = usage
      case .invalidCheckpoint, .shapeMismatch: code = dataError
      }
    case is TerminalError: code = unavailable
    case let e as GraphvizError:
      switch e {
      case .notInstalled: code = unavailable
      case .launchFailed, .failed: code = failed
      }
    default: code = failed
    }
    printError("tailnas: \(error)")
    if case DataError.missingFile = error {
      printError("tailnas: pass --data-dir DIR with the data set's files, or --dataset synthetic to run without data")
    }
    return ExitCode(code)
  }
}

/// Writes a line to standard output, unbuffered so it stays in order with the progress bar.
func say(_ text: String) {
  FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Writes a line to standard error.
func printError(_ text: String) {
  var stream = StandardError()
  print(text, to: &stream)
}

struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(string.data(using: .utf8)!)
  }
}
