import ArgumentParser

/// The `tailnas` command: differentiable architecture search on long-tailed data, watched live.
@main
struct TailNAS: ParsableCommand {
  /// The release, printed by `tailnas --version`.
  static let version = "tailnas 0.5.0"

  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let help = HelpRequest(arguments: arguments) { help.answer() }
    var command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exit(withError: error)
    }
    do {
      try command.run()
    } catch {
      // Errors of a subcommand print that subcommand's usage, not the root's.
      type(of: command).exit(withError: error)
    }
  }

  static let configuration = CommandConfiguration(
    commandName: "tailnas",
    abstract: "Neural architecture search on long-tailed image data, watched and steered in the terminal.",
    version: TailNAS.version,
    subcommands: [
      SearchCommand.self, TrainCommand.self, ReplayCommand.self, ResumeCommand.self, RunsCommand.self,
      ReportCommand.self,
      ExportCommand.self, Bench.self,
    ],
    defaultSubcommand: SearchCommand.self
  )
}
