import RunEvents
import Settings

extension Setting {
  /// A schedule setting, written in the curve text form (`cosine 1 0`) and checked against `target`'s range.
  /// `get` and `set` reach the curve in the configuration (which may keep it as an override of defaults).
  public static func curve(
    _ section: String?, _ key: String, flag: String? = nil, target: ScheduleTarget, help: String,
    get: @escaping (Root) -> Curve?, set: @escaping (inout Root, Curve) -> Void
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: "schedule", help: help,
      accepted: .described("\(CurveKind.textForms); \(ScheduleEdit.rangeDescription(target))"), showsDefault: false,
      read: { value, root in
        guard let text = value.text else {
          throw SettingError("must be a schedule such as \"cosine 1 0\", got \(value)")
        }
        let curve: Curve
        do {
          curve = try Curve(text: text)
          try ScheduleEdit(target: target, curve: curve).validate()
        } catch {
          throw SettingError("'\(text)': \(error)")
        }
        set(&root, curve)
      },
      current: { get($0).map { .text($0.text) } },
      check: { root in
        guard let curve = get(root) else { return nil }
        do {
          try ScheduleEdit(target: target, curve: curve).validate()
          return nil
        } catch {
          return "'\(curve.text)': \(error)"
        }
      })
  }

  /// Which number of a curve a setting edits.
  public enum CurveEnd: Sendable {
    /// The first value: a constant's value, a ramp's start.
    case start
    /// A ramp's end value.
    case end
  }

  /// A setting that edits one number of a schedule (e.g. `weights.lr`, the start of the weight learning rate's
  /// cosine): read but not written, since the schedule itself is written.
  public static func curveValue(
    _ section: String?, _ key: String, flag: String? = nil, _ end: CurveEnd, range: NumberRange, help: String,
    get: @escaping (Root) -> Curve, set: @escaping (inout Root, Curve) -> Void
  ) -> Setting {
    Setting(
      section: section, key: key, flag: flag, valueName: "x", help: help, accepted: .range(range), isWritten: false,
      read: { value, root in
        let number = try readNumber(value, range: range)
        let curve = get(root)
        guard let edited = end == .start ? curve.withStart(number) : curve.withEnd(number) else {
          throw SettingError("cannot set the \(end == .start ? "start" : "end") of the schedule \(curve.text)")
        }
        set(&root, edited)
      },
      current: { root in
        let parameters = get(root).parameters
        return (end == .start ? parameters.first : parameters.dropFirst().first).map { .number($0) }
      })
  }

  /// The NaN policy setting.
  public static func nanPolicy(
    _ section: String?, _ key: String, flag: String? = nil, _ path: WritableKeyPath<Root, NaNPolicy?>
  )
    -> Setting
  {
    .optionalChoice(
      section, key, flag: flag, path, valueName: "policy", unset: "pause in the dashboard, stop headless",
      help: "When a loss is not finite: stop (the run fails, resumable), pause (and say why) or skip the step.")
  }
}
