import ArgumentParser
import Foundation
import Presentation
import RunStore
import Study
import Terminal

/// `tailnas study FILE`: runs a study (a grid of search-and-train runs) with local workers; its subcommands run
/// one run or work through the study (`run`), list the runs (`status`), and print the commands for GNU parallel
/// (`jobs`) or a Slurm job array (`slurm`).
struct StudyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "study",
    abstract: "Run a study: methods x seeds x settings, each searched then trained, on local workers or a cluster.",
    discussion: """
      A study file holds base settings (as --config: [data], [search], [train], ...) and a [grid] of lists, \
      e.g. method = ["darts", "hls"] and seed = [0, 1, 2]; each grid point is one run (the search, then the \
      training of its genotype unless [study] train = false) in <the file's folder>/<name>/runs/<id>, its id \
      a hash of its settings. Running a study again skips finished runs, resumes stopped and interrupted ones and starts \
      the missing ones; a new grid value adds only its runs. Runs take a lock file while they run, so any \
      number of workers (local, GNU parallel, Slurm) may work on one study at once.

      Examples:
        tailnas study studies/quick.toml --jobs 2
        tailnas study status studies/quick.toml
        tailnas study jobs studies/paper.toml | parallel --jobs 4 --joblog jobs.log
        tailnas study slurm studies/paper.toml > paper.sbatch && sbatch paper.sbatch
      """,
    subcommands: [
      StudyLocal.self, StudyRunCommand.self, StudyStatus.self, StudyReportCommand.self, StudyJobsCommand.self,
      StudySlurm.self,
    ],
    defaultSubcommand: StudyLocal.self)
}

/// The study file argument every study command takes.
struct StudyFileArgument: ParsableArguments {
  @Argument(help: ArgumentHelp("The study file (TOML).", valueName: "file")) var file: String

  func load() throws -> Study {
    do {
      return try Study(contentsOf: file)
    } catch let error as StudyError {
      if case .missing = error {
        printError("tailnas: \(error)")
        throw ExitCode(ExitStatus.noInput)
      }
      printError("tailnas: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }

  /// Every run, resolved; a setting that does not resolve is a usage error.
  func runs(of study: Study) throws -> [StudyRun] {
    do {
      return try study.runs()
    } catch let error as StudyError {
      printError("tailnas: \(error)")
      throw ExitCode(ExitStatus.usage)
    }
  }
}

/// The path of this tailnas executable, for the commands it prints and the workers it starts.
var executablePath: String {
  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}

/// `tailnas study FILE [--jobs N]`: the local executor.
struct StudyLocal: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start", abstract: "Run the study's runs with local workers (the default).")

  @OptionGroup var study: StudyFileArgument
  @Option(help: "Runs at once (default: half the cores, at least 1).") var jobs: Int?
  @Option(help: "Threads per run (default: the cores divided between the jobs).") var threads: Int?
  @Flag(help: "Print progress lines instead of the study view (the default without a terminal).")
  var headless = false
  @Flag(help: "Also take failed runs (e.g. a NaN loss), resuming them from their newest checkpoint.")
  var retryFailed = false
  @OptionGroup var display: DisplayOptions

  func validate() throws {
    if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be in 1...256, got \(jobs)") }
    if let threads, !(1...256).contains(threads) {
      throw ValidationError("--threads must be in 1...256, got \(threads)")
    }
  }

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let jobs = min(self.jobs ?? max(1, cores / 2), max(runs.count, 1))
    let threads = self.threads ?? max(1, cores / jobs)
    let logs = study.directory.appendingPathComponent("logs")
    do {
      try DurableFile.createDirectory(logs, what: "the study's log directory")
    } catch {
      throw ExitStatus.exit(for: error)
    }
    say(
      "study \(study.name): \(Format.count(runs.count, "run")) in \(study.runsDirectory.path); "
        + "\(Format.count(jobs, "worker")) x \(Format.count(threads, "thread")); logs in \(logs.path)")
    // Every worker's log is opened before the first worker starts, so a log that cannot be written stops the
    // study with no worker left running.
    let handles = try (1...jobs).map { try Self.openLog(logs.appendingPathComponent("worker-\($0).log")) }
    var workers: [Process] = []
    for handle in handles {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: executablePath)
      process.arguments =
        ["study", "run", self.study.file, "--threads", "\(threads)"] + (retryFailed ? ["--retry-failed"] : [])
      process.standardOutput = handle
      process.standardError = handle
      process.standardInput = FileHandle.nullDevice
      try process.run()
      workers.append(process)
    }
    StopSignal.install { for worker in workers where worker.isRunning { worker.interrupt() } }
    var viewed = false
    if !headless && Console.isTerminal, let app = try? TerminalApp(options: display.terminalOptions()) {
      let watch = StudyWatch(study: study, runs: runs)
      _ = try app.runStudy(
        name: study.name, axes: runs.first?.values.map(\.label) ?? [], refresh: watch.content, open: watch.open)
      viewed = true
      // Leaving the view stops the study: the workers stop at their next step and resume when it runs again.
      if workers.contains(where: \.isRunning) {
        say("stopping the study's workers at their next step...")
        for worker in workers where worker.isRunning { worker.interrupt() }
      }
    } else if !headless && !Console.isTerminal {
      printError("tailnas: standard output is not a terminal; printing progress lines")
    }
    // Progress: a line whenever the runs' states change, and on a terminal a bar of the whole study's epochs
    // redrawn below it.
    var last = ""
    let bar = Console.isTerminal && !viewed
    let watch = StudyWatch(study: study, runs: runs)
    let started = Date()
    while workers.contains(where: \.isRunning) {
      // One read of the runs serves the line and the bar (the watch re-reads only runs whose files changed).
      let outcomes = watch.outcomes()
      let line = StudyProgress.line(study: study, states: outcomes.map(\.state))
      if line != last {
        FileHandle.standardOutput.write(Data(((bar ? "\r\u{1B}[K" : "") + line + "\n").utf8))
        last = line
      }
      if bar {
        let progress =
          outcomes.isEmpty ? 0 : outcomes.map { StudyWatch.row($0).progress }.reduce(0, +) / Double(outcomes.count)
        FileHandle.standardOutput.write(
          Data(("\r\u{1B}[K" + StudyProgress.bar(progress, elapsed: Date().timeIntervalSince(started))).utf8))
      }
      Thread.sleep(forTimeInterval: viewed ? 0.5 : 2)
    }
    if bar { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
    let states = runs.map { $0.state(trains: study.trains) }
    say(StudyProgress.line(study: study, states: states))
    if StopSignal.received || (viewed && states.contains(where: \.needsWork)) {
      say("stopped; run the study again to continue: tailnas study \(self.study.file)")
      throw ExitCode(ExitStatus.stopped)
    }
    let failed = states.filter { if case .failed = $0 { true } else { false } }.count
    if failed > 0 {
      printError(
        "tailnas: \(Format.count(failed, "run")) failed; see tailnas study status \(self.study.file) "
          + "(--retry-failed resumes them)")
      throw ExitCode(ExitStatus.failed)
    }
    say("study \(study.name) done; tailnas study report \(self.study.file) compares its runs")
  }

  /// A worker's log, emptied (created when missing) and opened for writing; one that cannot be is an I/O error
  /// that names it.
  static func openLog(_ log: URL) throws -> FileHandle {
    guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
      throw ExitStatus.exit(
        for: RunStoreError.ioFailure(path: log.path, reason: "cannot create the study worker's log file"))
    }
    do {
      return try FileHandle(forWritingTo: log)
    } catch {
      throw ExitStatus.exit(
        for: RunStoreError.ioFailure(
          path: log.path, reason: "cannot open the study worker's log file: \(Format.reason(error))"))
    }
  }
}

/// `tailnas study run FILE [--job K]`: one run, or a worker that takes free runs until none is left.
struct StudyRunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run one run of the study (--job K), or work through every free run (a worker).",
    discussion: """
      Each run is taken under its lock file (host and pid; a stale lock of a dead worker is taken over), so \
      workers never run the same run twice, and a worker that dies leaves a run that the next one resumes. \
      A run that is finished or held by another worker is left at once (exit 0).
      """)

  @OptionGroup var study: StudyFileArgument
  @Option(help: "The run's index in grid order (0-based, as `study jobs` and Slurm's array task id count).")
  var job: Int?
  @Option(help: "Threads for each run (default: all cores).") var threads: Int?
  @Flag(help: "Also take failed runs (e.g. a NaN loss), resuming them from their newest checkpoint.")
  var retryFailed = false

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    StopSignal.install {}
    if let job {
      guard runs.indices.contains(job) else {
        printError("tailnas: \(StudyError.noSuchJob(job, count: runs.count))")
        throw ExitCode(ExitStatus.usage)
      }
      let code = StudyExecution.execute(runs[job], of: study, threads: threads, retryFailed: retryFailed)
      if code.rawValue != 0 { throw code }
      return
    }
    let code = try StudyExecution.work(study, threads: threads, retryFailed: retryFailed)
    if code.rawValue != 0 { throw code }
  }
}

/// `tailnas study status FILE`: one line per run.
struct StudyStatus: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "List the study's runs: their grid values, id and state.")

  @OptionGroup var study: StudyFileArgument

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    let states = runs.map { $0.state(trains: study.trains) }
    FileHandle.standardOutput.write(Data(StudyProgress.table(runs: runs, states: states).utf8))
    say(StudyProgress.line(study: study, states: states))
  }
}

/// `tailnas study jobs FILE`: commands for GNU parallel.
struct StudyJobsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "jobs", abstract: "Print one command per run, for GNU parallel (or any executor).",
    discussion: """
      Example: tailnas study jobs studies/paper.toml | parallel --jobs 4 --joblog jobs.log \
      (add --sshlogin HOST,... with the study folder on a shared file system).
      """)

  @OptionGroup var study: StudyFileArgument
  @Option(help: "Threads for each run.") var threads = 1

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    for line in StudyJobs.commands(
      executable: executablePath, studyFile: absolute(self.study.file), count: runs.count, threads: threads)
    {
      say(line)
    }
  }
}

/// `tailnas study slurm FILE`: a Slurm job-array script on standard output.
struct StudySlurm: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "slurm", abstract: "Print a Slurm job-array script (one task per run) for sbatch.")

  @OptionGroup var study: StudyFileArgument
  @Option(help: "CPUs (threads) per run.") var threads = 2
  @Option(help: "Memory per run, as Slurm writes it.") var memory = "3G"
  @Option(help: "Tasks at once (the array's %M), default: no limit.") var concurrent: Int?
  @Option(help: "Time limit per task, as Slurm writes it (e.g. 04:00:00).") var time: String?

  func run() throws {
    let study = try self.study.load()
    let runs = try self.study.runs(of: study)
    do {
      try DurableFile.createDirectory(study.directory.appendingPathComponent("slurm"), what: "the Slurm log directory")
    } catch {
      throw ExitStatus.exit(for: error)
    }
    FileHandle.standardOutput.write(
      Data(
        StudyJobs.slurmScript(
          executable: executablePath, studyFile: absolute(self.study.file), studyName: study.name,
          studyDirectory: study.directory, count: runs.count, concurrent: concurrent, threads: threads,
          memory: memory, time: time, workingDirectory: FileManager.default.currentDirectoryPath
        ).utf8))
  }
}

/// `path` made absolute against the current directory.
func absolute(_ path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.path
}
