/// Everything a plugin declares about its kind, gathered in one value.
///
/// Type-erased code (the catalogue, the subscriber, `hearth plugins list`, the
/// schema generator, run-time plugins) works from this value alone, never from
/// the plugin's concrete type.
public struct SensorDescriptor: Sendable, Hashable {
    public var kind: SensorKind
    public var displayName: String
    public var summary: String
    public var fields: [FieldDescriptor]
    public var alarms: [AlarmDescriptor]
    public var events: [EventDescriptor]
    public var reporting: ReportingMode

    public init(
        kind: SensorKind, displayName: String, summary: String, fields: [FieldDescriptor],
        alarms: [AlarmDescriptor], events: [EventDescriptor], reporting: ReportingMode
    ) {
        self.kind = kind
        self.displayName = displayName
        self.summary = summary
        self.fields = fields
        self.alarms = alarms
        self.events = events
        self.reporting = reporting
    }

    public func field(named name: String) -> FieldDescriptor? {
        fields.first { $0.name == name }
    }

    public func event(named name: String) -> EventDescriptor? {
        events.first { $0.name == name }
    }

    /// The event with defaults filled in, or why it is refused. The scenario
    /// parser calls this while reading a file; groups call it again before an
    /// event reaches the plugin.
    public func resolve(_ event: SensorEvent) throws(SensorEventError) -> SensorEvent {
        guard let declared = self.event(named: event.name) else {
            let known = events.map(\.name).joined(separator: ", ")
            throw SensorEventError(.unknownEvent, "\(kind) sensors have no event '\(event.name)' (known: \(known.isEmpty ? "none" : known))")
        }
        for name in event.parameters.keys where !declared.parameters.contains(where: { $0.name == name }) {
            throw SensorEventError(.unknownParameter, "event '\(event.name)' of \(kind) has no parameter '\(name)'")
        }
        var resolved = event
        for parameter in declared.parameters {
            guard let value = event.parameters[parameter.name] ?? parameter.defaultValue else {
                throw SensorEventError(.missingParameter, "event '\(event.name)' of \(kind) needs parameter '\(parameter.name)' (\(parameter.unit))")
            }
            guard value.isFinite, parameter.range.contains(value) else {
                throw SensorEventError(
                    .parameterOutOfRange,
                    "parameter '\(parameter.name)' of event '\(event.name)' is \(value.compactDescription); it must be in \(parameter.range.lowerBound.compactDescription)...\(parameter.range.upperBound.compactDescription) \(parameter.unit)"
                )
            }
            resolved.parameters[parameter.name] = value
        }
        return resolved
    }
}

/// How a device decides when to speak, so a scheduler knows what to expect.
public enum ReportingMode: Sendable, Hashable {
    /// Reports every `interval` seconds; `nextReading` always returns a reading.
    case periodic(interval: Double)
    /// Reports a change once it has been stable for `debounce` seconds, and
    /// otherwise only a heartbeat every `heartbeat` seconds; `nextReading`
    /// returns nil when neither is due.
    case onChange(debounce: Double, heartbeat: Double)

    /// Whether the sensor reports on a load's schedule (its rate shared out
    /// among such sensors) rather than when something changes.
    public var isPeriodic: Bool {
        if case .periodic = self { return true }
        return false
    }

    public var summary: String {
        switch self {
        case .periodic(let interval): return "every \(interval.compactDescription) s"
        case .onChange(let debounce, let heartbeat):
            return "on change (debounced \(debounce.compactDescription) s), heartbeat every \(heartbeat.compactDescription) s"
        }
    }
}
