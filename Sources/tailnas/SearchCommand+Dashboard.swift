import ArgumentParser
import Foundation
import Search

extension SearchCommand {
  func runDashboard(configuration: SearchConfiguration, runsDirectory: URL, display: DisplayOptions) throws {
    throw ValidationError("the dashboard is not wired yet; use --headless")
  }
}
