import ArgumentParser
import Datasets
import Engine
import Foundation
import Search

/// `tailnas bench`: the reference search step of `shared/bench/README.md`, JSON on stdout.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Benchmarks, JSON on stdout: the reference search step (default), the training step (train), per-op timings (ops), dashboard frames.",
    subcommands: [BenchStep.self, BenchTrain.self, BenchOps.self, BenchDashboard.self],
    defaultSubcommand: BenchStep.self
  )
}

/// The process's peak resident set size (VmHWM) in kilobytes, 0 where /proc is missing.
func peakResidentKilobytes() -> Int {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
  }
  return 0
}
