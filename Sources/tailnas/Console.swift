#if canImport(Glibc)
  import Glibc
#endif

/// What the process's standard streams are connected to.
enum Console {
  /// Whether standard output is a terminal (else the dashboard cannot show, and commands run headless).
  static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
