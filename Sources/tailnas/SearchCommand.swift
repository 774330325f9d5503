import ArgumentParser
import Foundation
import Presentation
import RunEvents
import RunStore
import Search

#if canImport(Glibc)
  import Glibc
#endif

/// `tailnas search`: a new search, watched in the dashboard or printed with `--headless`.
struct SearchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "Run a search: the dashboard by default, progress lines with --headless.",
    usage: "tailnas search [--headless] [--config <file>] [--runs-dir <dir>] [<setting flags> ...]",
    discussion: """
      Settings come from a preset (--preset demo|paper|tiny, default demo), then a TOML file (--config), then \
      the setting flags, which win; every setting is listed below with what it accepts and each preset's value.

      Examples:
        tailnas search                                   # the dashboard on an HLS search of long-tailed Fashion-MNIST
        tailnas search --method darts --imbalance-ratio 10 --epochs 20 --headless
        tailnas search --preset paper --dataset cifar10 --data-dir ~/cifar-10-batches-bin --config my.toml
        tailnas search --mu "constant 0.5" --arch-lr-class one-minus-mu --seed 3
      """)

  @OptionGroup var options: SearchOptions
  @Flag(help: "Print progress (a bar on a terminal, plain lines otherwise) instead of the dashboard.")
  var headless = false
  @Flag(
    help: """
      Then train the result from scratch (the evaluation phase) in RUN/train: one pipeline; training settings \
      are --train-<flag> (see `tailnas train --help`).
      """)
  var train = false
  @OptionGroup var display: DisplayOptions

  func validate() throws {
    try options.validate(pipeline: train)
  }

  func run() throws {
    if train { return try runPipeline() }
    let configuration = try options.resolve()
    if headless || !Console.isTerminal {
      if !headless { printError("tailnas: standard output is not a terminal; running headless") }
      throw Headless.run { sinks in
        try RunSession.startSearch(
          configuration: configuration, runsDirectory: options.runsURL, sinks: sinks, watching: .headless,
          status: { say($0) })
      }
    }
    try runDashboard(configuration: configuration, runsDirectory: options.runsURL, display: display)
  }
}

extension SearchCommand {
  /// `search --train`: the search and then the training of its result, headless or in one dashboard session.
  func runPipeline() throws {
    let (search, training) = try options.resolvePipeline()
    let watching: Watching = headless || !Console.isTerminal ? .headless : .dashboard
    let start: ([EventSink]) throws -> RunSession = { sinks in
      try RunSession.startPipeline(
        search: search, training: training, runsDirectory: options.runsURL, sinks: sinks, watching: watching,
        status: { say($0) })
    }
    if watching == .headless {
      if !headless { printError("tailnas: standard output is not a terminal; running headless") }
      throw Headless.run(start: start)
    }
    throw DashboardRun.run(display: display, start: start)
  }
}
