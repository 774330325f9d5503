import ArgumentParser
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The `tailnas` command: differentiable architecture search on long-tailed data, watched live.
@main
struct TailNAS: ParsableCommand {
  static func main() {
    // Line-buffered standard output keeps print() in order with direct writes of the progress bar.
    setvbuf(stdout, nil, _IOLBF, 0)
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
    subcommands: [SearchCommand.self, Bench.self],
    defaultSubcommand: SearchCommand.self
  )
}
