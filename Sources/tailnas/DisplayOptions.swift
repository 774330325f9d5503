import ArgumentParser

/// How the dashboard draws.
struct DisplayOptions: ParsableArguments {
  @Flag(help: "Draw charts and heatmaps with ASCII instead of braille and block characters.") var ascii = false
  @Option(help: "Directory of theme files (default: ./themes or the repository's themes/).") var themes: String?
  @Option(help: "The theme to start with: dark, light, high-contrast, cividis, ansi16.") var theme: String?
}
