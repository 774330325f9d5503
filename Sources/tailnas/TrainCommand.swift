import ArgumentParser
import Foundation
import RunEvents
import RunStore
import Training

/// `tailnas train [RUN]`: trains a found architecture from scratch (DARTS' evaluation phase), watched in the
/// dashboard or printed with `--headless`.
struct TrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train a found architecture from scratch: the dashboard by default, progress lines with --headless.",
    usage: """
      tailnas train RUN [--epoch N] [--headless] [--config <file>] [<setting flags> ...]
        tailnas train --genotype "Genotype(...)" [--headless] [<setting flags> ...]
        tailnas train --genotype-file FILE.py [--genotype-name NAME] [--headless] [<setting flags> ...]
      """,
    discussion: """
      RUN is a search run (its directory, or its id under --runs-dir): its last epoch's genotype (--epoch N \
      for another) is trained on the same data set, imbalance ratio and seed, with the recipe of its method \
      (--recipe same), unless settings say otherwise; the training run is kept inside the search run \
      (RUN/train, RUN/train-2, ...). A genotype given by hand (--genotype, or --genotype-file with \
      --genotype-name, e.g. DARTS' own genotypes.py) is trained as a new run under --runs-dir.

      Settings come from a preset (--preset demo|paper|tiny, default demo), then the source run's data \
      settings, then a TOML file (--config: [train] and [data]), then the setting flags, which win.

      Examples:
        tailnas train runs/20261201-120000-hls --headless
        tailnas train RUN --epoch 5 --recipe plain --epochs 20
        tailnas train --genotype-file genotypes.py --genotype-name DARTS_V2 --preset paper
      """)

  @OptionGroup var options: TrainOptions
  @Flag(help: "Print progress (a bar on a terminal, plain lines otherwise) instead of the dashboard.")
  var headless = false
  @OptionGroup var display: DisplayOptions

  func validate() throws {
    do {
      _ = try options.resolve()
    } catch let error as ValidationError {
      throw error
    } catch {
      throw ExitStatus.exit(for: error)
    }
  }

  func run() throws {
    let resolved: TrainOptions.Resolved
    do {
      resolved = try options.resolve()
    } catch {
      throw ExitStatus.exit(for: error)
    }
    let runs = URL(fileURLWithPath: options.runsDirectory)
    let watching: Watching = headless || !Console.isTerminal ? .headless : .dashboard
    let start: ([EventSink]) throws -> RunSession = { sinks in
      try RunSession.startTraining(
        configuration: resolved.configuration, source: resolved.source, runsDirectory: runs, sinks: sinks,
        watching: watching, status: { say($0) })
    }
    if watching == .headless {
      if !headless { printError("tailnas: standard output is not a terminal; running headless") }
      throw Headless.run(start: start)
    }
    throw DashboardRun.run(display: display, start: start)
  }
}
