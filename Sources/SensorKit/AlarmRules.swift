/// A plugin's alarm rules, compiled once against its field list so that the
/// per-reading evaluation is index lookups and comparisons, no string search.
///
/// This is the one place rule-based alarms are decided with hysteresis, for
/// built-in and run-time plugins alike; validation checks readings against the
/// same rules (`SensorDescriptor.validate(_:)`).
public struct AlarmRules: Sendable {
    enum Compiled: Sendable {
        case above(field: Int, raise: Double, clear: Double)
        case below(field: Int, raise: Double, clear: Double)
        case states(field: Int, raise: [String], clear: [String])
        case device
    }

    let rules: [Compiled]

    public init(_ descriptor: SensorDescriptor) {
        rules = descriptor.alarms.map { alarm in
            let index = alarm.trigger.field.flatMap { name in descriptor.fields.firstIndex { $0.name == name } }
            switch (alarm.trigger, index) {
            case (.above(_, let raise, let clear), let field?): return .above(field: field, raise: raise, clear: clear)
            case (.below(_, let raise, let clear), let field?): return .below(field: field, raise: raise, clear: clear)
            case (.states(_, let raise, let clear), let field?): return .states(field: field, raise: raise, clear: clear)
            default: return .device
            }
        }
    }

    /// The alarms active after `values`, given those active before: a rule
    /// raises, clears, or (between its thresholds) keeps its alarm; `.device`
    /// alarms are exactly those in `device`.
    public func evaluate(previous: AlarmSet, values: [FieldValue], device: AlarmSet) -> AlarmSet {
        var next = AlarmSet()
        for (index, rule) in rules.enumerated() {
            let bit = AlarmSet(index: index)
            let was = previous.contains(bit)
            let now: Bool
            switch rule {
            case .above(let field, let raise, let clear):
                let value = values[field].number ?? 0
                now = value >= raise ? true : (value < clear ? false : was)
            case .below(let field, let raise, let clear):
                let value = values[field].number ?? 0
                now = value <= raise ? true : (value > clear ? false : was)
            case .states(let field, let raise, let clear):
                let value = values[field].text ?? ""
                now = raise.contains(value) ? true : (clear.contains(value) ? false : was)
            case .device:
                now = device.contains(bit)
            }
            if now { next.insert(bit) }
        }
        return next
    }
}
