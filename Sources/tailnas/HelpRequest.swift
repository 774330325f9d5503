import ArgumentParser

/// `--help` (or `help COMMAND`) for a command whose settings the settings table declares: ArgumentParser's
/// help, then every setting flag with what it accepts and each preset's value. Other help goes to
/// ArgumentParser unchanged; `help` with an unknown command is a usage error.
struct HelpRequest {
  let command: ParsableCommand.Type
  let settingsHelp: String?

  /// The commands by name.
  static let commands: [String: ParsableCommand.Type] = Dictionary(
    uniqueKeysWithValues: TailNAS.configuration.subcommands.map {
      ($0.configuration.commandName ?? String(describing: $0).lowercased(), $0)
    })

  /// The help request in `arguments` that needs more than ArgumentParser's help, or nil.
  init?(arguments: [String]) {
    if arguments.first == "help" {
      let name = arguments.dropFirst().first { !$0.hasPrefix("-") }
      guard let name else { return nil }
      guard let command = Self.commands[name] else {
        TailNAS.exit(withError: ValidationError("unknown command '\(name)'; the commands are \(Self.names)"))
      }
      self.init(command: command)
    } else if arguments.contains("--help") || arguments.contains("-h") {
      // The first word names the command; without one, the root's help is ArgumentParser's.
      guard let name = arguments.first(where: { !$0.hasPrefix("-") }), let command = Self.commands[name] else {
        return nil
      }
      self.init(command: command)
    } else {
      return nil
    }
    if settingsHelp == nil { return nil }
  }

  private init(command: ParsableCommand.Type) {
    self.command = command
    settingsHelp =
      command == SearchCommand.self
      ? SearchOptions.settingsHelp : command == TrainCommand.self ? TrainOptions.settingsHelp : nil
  }

  static var names: String { commands.keys.sorted().joined(separator: ", ") }

  /// Prints the help and exits 0.
  func answer() -> Never {
    print(TailNAS.helpMessage(for: command))
    if let settingsHelp { print("\n" + settingsHelp) }
    TailNAS.exit()
  }
}
