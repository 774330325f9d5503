import ArgumentParser

/// How the dashboard draws.
struct DisplayOptions: ParsableArguments {
  @Flag(help: "Draw charts and heatmaps with ASCII instead of braille and block characters.") var ascii = false
  @Option(help: "Directory of theme files (default: the themes/ folder beside the program or the repository).")
  var themes: String?
}
