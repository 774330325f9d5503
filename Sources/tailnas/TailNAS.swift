import ArgumentParser

/// The `tailnas` command: differentiable architecture search on long-tailed data, watched live.
@main
struct TailNAS: ParsableCommand {
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      exit(withError: error)
    }
  }

  static let configuration = CommandConfiguration(
    commandName: "tailnas",
    abstract: "Neural architecture search on long-tailed image data, watched and steered in the terminal.",
    subcommands: [
      SearchCommand.self, ReplayCommand.self, ResumeCommand.self, RunsCommand.self, ReportCommand.self,
      ExportCommand.self, Bench.self,
    ],
    defaultSubcommand: SearchCommand.self
  )
}
