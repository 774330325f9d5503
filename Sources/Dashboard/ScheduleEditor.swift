import Architecture
import Foundation
import RunEvents

/// The state of the schedule edit form: target, curve kind, the numbers as typed, and the focused field.
///
/// Every change revalidates, so the form can show the error (from `ScheduleEdit.validate()`) and a
/// preview of the new planned curve beside the old one before the user presses enter.
public struct ScheduleEditor: Sendable, Equatable {
  /// The form's fields, top to bottom.
  public enum Field: Int, Sendable, CaseIterable {
    case target
    case kind
    case first
    case second
  }

  /// The targets offered, in order.
  public let targets: [ScheduleTarget]
  public private(set) var targetIndex = 0
  public private(set) var kind: CurveKind = .constant
  /// The numbers as typed.
  public private(set) var numbers: [String] = ["", ""]
  public private(set) var field: Field = .target
  /// The schedules the edit starts from.
  public let schedules: Schedules
  public let epochs: Int

  /// A form over `schedules`, offering mu, weight lr and the arch lr of each part in `components`.
  public init(schedules: Schedules, components: [ArchitectureComponent], epochs: Int) {
    let parts = ArchitecturePart.allCases.filter { part in components.contains { $0.part == part } }
    self.init(
      schedules: schedules, targets: [.mu, .weightLearningRate] + parts.map { .architectureMultiplier($0) },
      epochs: epochs)
  }

  /// A form over `schedules` offering `targets`.
  public init(schedules: Schedules, targets: [ScheduleTarget], epochs: Int) {
    self.targets = targets.isEmpty ? [.weightLearningRate] : targets
    self.schedules = schedules
    self.epochs = epochs
    loadCurrentCurve()
  }

  /// The chosen target.
  public var target: ScheduleTarget { targets[targetIndex] }

  /// The fields the current kind uses.
  public var fields: [Field] {
    [.target, .kind] + [Field.first, .second].prefix(kind.parameterCount)
  }

  /// Moves to the next (`+1`) or previous (`-1`) field, wrapping.
  public mutating func moveField(_ delta: Int) {
    let visible = fields
    let index = visible.firstIndex(of: field) ?? 0
    field = visible[(index + delta + visible.count) % visible.count]
  }

  /// Chooses the next (`+1`) or previous (`-1`) target or kind when one of those fields is focused.
  public mutating func cycleChoice(_ delta: Int) {
    switch field {
    case .target:
      targetIndex = (targetIndex + delta + targets.count) % targets.count
      loadCurrentCurve()
    case .kind:
      let kinds = CurveKind.allCases
      let index = kinds.firstIndex(of: kind) ?? 0
      kind = kinds[(index + delta + kinds.count) % kinds.count]
    case .first, .second:
      break
    }
  }

  /// Sets the target directly.
  public mutating func select(target: ScheduleTarget) {
    if let index = targets.firstIndex(of: target) {
      targetIndex = index
      loadCurrentCurve()
    }
  }

  /// Sets the kind directly.
  public mutating func select(kind: CurveKind) {
    self.kind = kind
  }

  /// Replaces the text of a number field.
  public mutating func setNumber(_ index: Int, _ text: String) {
    numbers[index] = text
  }

  /// Types a character into the focused number field (digits, `.`, `-`, `+`, `e`); other characters are ignored.
  public mutating func type(_ character: Character) {
    guard let index = numberIndex, character.isNumber || ".-+eE".contains(character) else { return }
    numbers[index].append(character)
  }

  /// Deletes the last character of the focused number field.
  public mutating func deleteBackward() {
    guard let index = numberIndex, !numbers[index].isEmpty else { return }
    numbers[index].removeLast()
  }

  private var numberIndex: Int? {
    switch field {
    case .first: 0
    case .second: 1
    default: nil
    }
  }

  /// The edit the form describes, or the error text to show.
  public var edit: Result<ScheduleEdit, ScheduleEditorError> {
    var values: [Double] = []
    for text in numbers.prefix(kind.parameterCount) {
      let trimmed = text.trimmingCharacters(in: .whitespaces)
      guard let value = Double(trimmed) else {
        return .failure(
          ScheduleEditorError(message: trimmed.isEmpty ? "enter a number" : "\"\(trimmed)\" is not a number"))
      }
      values.append(value)
    }
    do {
      let edit = ScheduleEdit(target: target, curve: try Curve(kind: kind, parameters: values))
      try edit.validate()
      return .success(edit)
    } catch {
      return .failure(ScheduleEditorError(message: "\(error)"))
    }
  }

  /// The error text, nil when the edit is valid.
  public var errorText: String? {
    if case .failure(let error) = edit { return error.message }
    return nil
  }

  /// The planned values of the target per epoch now, and after the edit (nil when the edit is invalid).
  public var preview: (old: [Double], new: [Double]?) {
    let old = ScheduleEditor.plannedValues(schedules, target: target, epochs: epochs)
    guard case .success(let edit) = edit else { return (old, nil) }
    var edited = schedules
    guard (try? edited.apply(edit)) != nil else { return (old, nil) }
    return (old, ScheduleEditor.plannedValues(edited, target: target, epochs: epochs))
  }

  /// The planned values of one target per epoch (for arch multipliers: the resulting arch lr).
  public static func plannedValues(_ schedules: Schedules, target: ScheduleTarget, epochs: Int) -> [Double] {
    schedules.plan(epochs: epochs).map { values in
      switch target {
      case .mu: values.mu
      case .weightLearningRate: values.weightLearningRate
      case .architectureMultiplier(let part): values.architectureLearningRates[part.components[0]] ?? 0
      case .dropPath: values.dropPath ?? 0
      }
    }
  }

  private mutating func loadCurrentCurve() {
    let curve = schedules.curve(for: target)
    kind = curve.kind
    let parameters = curve.parameters.map { String(format: "%g", $0) }
    numbers = (parameters + ["", ""]).prefix(2).map { $0 }
  }
}

/// Why the form's edit cannot be applied.
public struct ScheduleEditorError: Error, Sendable, Equatable {
  public var message: String
}
