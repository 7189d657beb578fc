/// A named alarm a plugin can raise, and the rule that raises and clears it.
///
/// Rules are declared rather than buried in each plugin so that one piece of
/// code (`AlarmRules`) evaluates them with hysteresis for every plugin, the
/// subscriber can check a reading's `alarms` against its values, and the JSON
/// Schema can state the same rule.
public struct AlarmDescriptor: Sendable, Hashable {
    /// The name that appears in a payload's `alarms` array (`co`, `smoke`, `leak`).
    public var name: String
    public var summary: String
    public var trigger: AlarmTrigger

    public init(name: String, summary: String, trigger: AlarmTrigger) {
        self.name = name
        self.summary = summary
        self.trigger = trigger
    }
}

/// When an alarm is raised and when it clears. Between the two thresholds or
/// state sets an alarm keeps whatever it was (hysteresis), so a value that
/// hovers at a threshold does not flap the alarm on and off.
public enum AlarmTrigger: Sendable, Hashable {
    /// Raised when the number `field` is at or above `raise`; cleared when it
    /// falls below `clear` (`clear <= raise`).
    case above(field: String, raise: Double, clear: Double)
    /// Raised when the number `field` is at or below `raise`; cleared when it
    /// rises above `clear` (`clear >= raise`).
    case below(field: String, raise: Double, clear: Double)
    /// Raised when the state `field` is one of `raise`; cleared when it is one
    /// of `clear`.
    case states(field: String, raise: [String], clear: [String])
    /// Decided by the device's own logic (a timer, a motor fault), which the
    /// plugin reports in `SensorSample.deviceAlarms`; the text says what it is.
    case device(String)

    /// The field the rule reads, if it reads one.
    public var field: String? {
        switch self {
        case .above(let field, _, _), .below(let field, _, _), .states(let field, _, _): return field
        case .device: return nil
        }
    }

    /// A short human rule, as printed by `hearth plugins list`.
    public var rule: String {
        switch self {
        case .above(let field, let raise, let clear):
            return "\(field) >= \(raise.compactDescription), clears below \(clear.compactDescription)"
        case .below(let field, let raise, let clear):
            return "\(field) <= \(raise.compactDescription), clears above \(clear.compactDescription)"
        case .states(let field, let raise, let clear):
            return "\(field) in [\(raise.joined(separator: ", "))], clears at [\(clear.joined(separator: ", "))]"
        case .device(let text):
            return text
        }
    }
}

extension Double {
    /// `21` rather than `21.0`, `0.5` as is: for text people read.
    public var compactDescription: String {
        if self == rounded(), abs(self) < 1e15 { return String(Int64(self)) }
        return String(self)
    }
}
