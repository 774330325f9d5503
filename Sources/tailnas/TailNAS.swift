import ArgumentParser

/// The `tailnas` command: differentiable architecture search on long-tailed data, watched live.
@main
struct TailNAS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tailnas",
    abstract: "Neural architecture search on long-tailed image data, watched and steered in the terminal.",
    subcommands: [Bench.self]
  )
}
