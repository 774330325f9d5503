import Foundation

/// The commands that run a study on other executors: one `tailnas study run FILE --job K` per run for GNU
/// parallel, or a Slurm job-array script. Runs coordinate only through the study folder (their locks), so any
/// mix of executors may work on one study at once.
public enum StudyJobs {
  /// One shell command per run, in grid order: `'/path/tailnas' study run 'studies/x.toml' --job 3 --threads 1`.
  public static func commands(executable: String, studyFile: String, count: Int, threads: Int) -> [String] {
    (0..<count).map {
      "\(quoted(executable)) study run \(quoted(studyFile)) --job \($0) --threads \(threads)"
    }
  }

  /// A Slurm batch script for a job array over the study's runs (`sbatch --array=0-(count-1)%concurrent`), each
  /// task one run with `threads` CPUs and `memory` (e.g. `3G`), its output in `<study>/slurm/`.
  public static func slurmScript(
    executable: String, studyFile: String, studyName: String, studyDirectory: URL, count: Int, concurrent: Int?,
    threads: Int, memory: String, time: String?, workingDirectory: String
  ) -> String {
    let logs = studyDirectory.appendingPathComponent("slurm").path
    var lines = [
      "#!/bin/bash",
      "# tailnas study \(studyName): \(count) runs, one array task each; submit with: sbatch THIS_FILE",
      "# A task whose run is done (or held by another worker) exits at once; run again to pick up the rest.",
      "#SBATCH --job-name=" + directive("tailnas-\(studyName)"),
      "#SBATCH --array=0-\(max(count - 1, 0))" + (concurrent.map { "%\($0)" } ?? ""),
      "#SBATCH --ntasks=1",
      "#SBATCH --cpus-per-task=\(threads)",
      "#SBATCH --mem=" + directive(memory),
      "#SBATCH --output=" + directive(logs.replacingOccurrences(of: "%", with: "%%") + "/%A_%a.out"),
    ]
    if let time { lines.append("#SBATCH --time=" + directive(time)) }
    lines += [
      "set -euo pipefail",
      "mkdir -p \(quoted(logs))",
      "cd \(quoted(workingDirectory))",
      "exec \(quoted(executable)) study run \(quoted(studyFile)) --job \"$SLURM_ARRAY_TASK_ID\" "
        + "--threads \"${SLURM_CPUS_PER_TASK:-\(threads)}\"",
    ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `text` as the value of an `#SBATCH` line: sbatch splits those at white space and reads double quotes and
  /// backslashes (not a shell's single quotes), so a value with a space, e.g. a study folder's, is put in
  /// double quotes.
  static func directive(_ text: String) -> String {
    guard text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "\\" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  /// `text` quoted for a POSIX shell when it needs quoting.
  static func quoted(_ text: String) -> String {
    let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0) }
    return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
