/// Everything a key can do in the dashboard.
public enum DashboardAction: Sendable, Equatable, Hashable {
  case togglePause
  case openEditor
  case focusNext
  case focusPrevious
  /// Zoom the panel numbered by the key (1-9); the same key again unzooms.
  case zoom
  case unzoom
  case toggleHelp
  case toggleFreeze
  case cycleTheme
  case quit
  case scrubBack
  case scrubForward
  case scrubFirst
  case scrubLast
  case smoothMore
  case smoothLess
  case toggleLogScale
  case toggleValues
  case toggleWinners
  case toggleReplay
  /// Show the next phase of a pipeline (search, training).
  case cyclePhase
  // Edit form.
  case nextField
  case previousField
  case nextChoice
  case previousChoice
  case apply
  case cancel
  case deleteCharacter
  // Quit confirmation.
  case confirm
  case decline
}

/// Where a binding applies.
public enum KeyContext: String, Sendable, CaseIterable {
  case dashboard = "dashboard"
  case replay = "replay"
  case editForm = "edit form"
  case quitPrompt = "quit prompt"
}

/// One line of the keymap: the keys, what they do, and the help text.
public struct KeyBinding: Sendable, Equatable {
  public var keys: [Key]
  /// How the help overlay names the keys, e.g. `1-9` or `Left/Right`.
  public var label: String
  public var action: DashboardAction
  public var context: KeyContext
  public var summary: String

  public init(_ keys: [Key], label: String? = nil, _ action: DashboardAction, _ context: KeyContext, _ summary: String)
  {
    self.keys = keys
    self.label = label ?? keys.map(\.description).joined(separator: "/")
    self.action = action
    self.context = context
    self.summary = summary
  }
}

/// The single source of truth for keys: `DashboardModel.update` looks actions up here and the help
/// overlay is generated from it.
public enum Keymap {
  /// Every binding, in help order.
  public static let bindings: [KeyBinding] = [
    KeyBinding([.character(" ")], .togglePause, .dashboard, "pause / resume the search"),
    KeyBinding([.character("e")], .openEditor, .dashboard, "edit a schedule"),
    KeyBinding([.tab], .focusNext, .dashboard, "focus the next panel"),
    KeyBinding([.backTab], .focusPrevious, .dashboard, "focus the previous panel"),
    KeyBinding(
      (1...9).map { .character(Character(String($0))) }, label: "1-9", .zoom, .dashboard,
      "zoom panel N (again: off)"),
    KeyBinding([.character("0"), .escape], .unzoom, .dashboard, "unzoom"),
    KeyBinding([.left], .scrubBack, .dashboard, "previous epoch"),
    KeyBinding([.right], .scrubForward, .dashboard, "next epoch"),
    KeyBinding([.home], .scrubFirst, .dashboard, "first epoch"),
    KeyBinding([.end], .scrubLast, .dashboard, "latest epoch (follow)"),
    KeyBinding([.character("s")], .smoothMore, .dashboard, "more loss smoothing"),
    KeyBinding([.character("S")], .smoothLess, .dashboard, "less loss smoothing"),
    KeyBinding([.character("l")], .toggleLogScale, .dashboard, "log / linear loss axis"),
    KeyBinding([.character("v")], .toggleValues, .dashboard, "show alpha values"),
    KeyBinding([.character("w")], .toggleWinners, .dashboard, "winning ops over epochs"),
    KeyBinding([.character("f")], .toggleFreeze, .dashboard, "freeze / unfreeze view"),
    KeyBinding([.character("t")], .cycleTheme, .dashboard, "next theme"),
    KeyBinding([.character("P")], .cyclePhase, .dashboard, "search / training phase"),
    KeyBinding([.character("?")], .toggleHelp, .dashboard, "this help"),
    KeyBinding([.character("q")], .quit, .dashboard, "quit (asks while running)"),
    KeyBinding([.character("p")], .toggleReplay, .replay, "play / pause the replay"),
    KeyBinding([.tab, .down], .nextField, .editForm, "next field"),
    KeyBinding([.backTab, .up], .previousField, .editForm, "previous field"),
    KeyBinding([.right], .nextChoice, .editForm, "next target / kind"),
    KeyBinding([.left], .previousChoice, .editForm, "previous target / kind"),
    KeyBinding([.backspace], .deleteCharacter, .editForm, "delete a character"),
    KeyBinding([.enter], .apply, .editForm, "apply the edit"),
    KeyBinding([.escape], .cancel, .editForm, "cancel"),
    KeyBinding([.character("y")], .confirm, .quitPrompt, "quit"),
    KeyBinding([.character("n"), .escape], .decline, .quitPrompt, "keep watching"),
  ]

  /// The action bound to `key` in `context` (the dashboard bindings also apply in replay).
  public static func action(for key: Key, in context: KeyContext) -> DashboardAction? {
    for binding in bindings where binding.keys.contains(key) {
      if binding.context == context { return binding.action }
    }
    if context == .replay { return action(for: key, in: .dashboard) }
    return nil
  }

  /// The bindings of one context.
  public static func bindings(in context: KeyContext) -> [KeyBinding] {
    bindings.filter { $0.context == context }
  }
}
