import Architecture
import Foundation
import Presentation
import RunEvents
import RunStore

/// How `ComparisonReport` is written.
public enum ReportFormat: String, Sendable, CaseIterable {
  /// Aligned columns, genotypes listed below the table.
  case text
  /// A pipe table and a genotype section.
  case markdown
  /// One RFC 4180 record per run, genotypes as quoted strings.
  case csv
}
