import ArgumentParser
import Engine
import Foundation

/// `tailnas bench`: speed measurements.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Benchmarks: per-op timings (`bench ops`)."
  )
}
