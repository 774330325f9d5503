import ArgumentParser
import Foundation
import Reports
import RunStore

/// `tailnas runs`: lists the saved runs with their status.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "List saved runs: id, method, data set, imbalance ratio, status, epochs done, best test accuracy.",
    discussion: """
      Status: running (a live process owns the run), finished (completed its last epoch), failed (ended with \
      an error), stopped (by the user, with q or Ctrl-C), interrupted (killed or crashed), pending (a pipeline's \
      training whose search has not finished); `tailnas resume RUN` continues a stopped or interrupted run. Entries of the \
      runs directory that are not runs are skipped; runs that cannot be read are named on standard error.
      """)

  @Option(name: .customLong("runs-dir"), help: "Where runs are stored.") var runsDirectory = "runs"

  func validate() throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: runsDirectory, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw ValidationError("--runs-dir \(runsDirectory) is a file, not a directory of runs")
    }
  }

  func run() throws {
    let listing = RunListing(directory: URL(fileURLWithPath: runsDirectory))
    for problem in listing.problems { printError("tailnas: \(problem)") }
    guard listing.exists else {
      say("no runs: \(runsDirectory) does not exist")
      return
    }
    guard !listing.runs.isEmpty else {
      say(listing.problems.isEmpty ? "no runs in \(runsDirectory)" : "no readable runs in \(runsDirectory)")
      return
    }
    for run in listing.runs {
      for warning in run.warnings { printError("tailnas: \(warning)") }
    }
    FileHandle.standardOutput.write(Data(listing.table.utf8))
  }
}
