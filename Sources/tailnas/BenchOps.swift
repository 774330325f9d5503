import ArgumentParser
import Engine
import Foundation

/// `tailnas bench ops`: per-op forward and forward+backward medians.
struct BenchOps: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops", abstract: "Per-op forward and forward+backward timings.")
  func run() throws {}
}
