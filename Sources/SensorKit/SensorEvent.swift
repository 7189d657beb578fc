/// Something that happens to a sensor at a point in a scenario: a fire starts,
/// a door opens, someone turns the thermostat up.
///
/// Events are a name plus numeric parameters so that scenario files can carry
/// them as plain data and run-time plugins can receive them across a C boundary.
public struct SensorEvent: Sendable, Hashable, CustomStringConvertible {
    /// One of the names the plugin lists in `supportedEvents` (`fire_start`).
    public var name: String
    /// Named numbers, for example `["value": 23]` for a thermostat `setpoint`.
    public var parameters: [String: Double]

    public init(name: String, parameters: [String: Double] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    public var description: String {
        guard !parameters.isEmpty else { return name }
        let list = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.compactDescription)" }
        return "\(name)(\(list.joined(separator: ", ")))"
    }
}

/// An event a plugin understands, as the scenario parser checks it.
public struct EventDescriptor: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var parameters: [EventParameter]

    public init(name: String, summary: String, parameters: [EventParameter] = []) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
    }
}

/// A numeric parameter of an event.
public struct EventParameter: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var unit: String
    public var range: ClosedRange<Double>
    /// Used when the scenario leaves the parameter out; nil makes it required.
    public var defaultValue: Double?

    public init(name: String, summary: String, unit: String, range: ClosedRange<Double>, defaultValue: Double? = nil) {
        self.name = name
        self.summary = summary
        self.unit = unit
        self.range = range
        self.defaultValue = defaultValue
    }

    public var isRequired: Bool { defaultValue == nil }
}

/// Why an event was refused. Events are checked before they reach a plugin, so
/// a plugin only ever sees names it declared and parameters within range.
public struct SensorEventError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public static let unknownEvent = Code(rawValue: "unknown_event")
        public static let unknownParameter = Code(rawValue: "unknown_parameter")
        public static let missingParameter = Code(rawValue: "missing_parameter")
        public static let parameterOutOfRange = Code(rawValue: "parameter_out_of_range")
        public static let rejectedByPlugin = Code(rawValue: "rejected_by_plugin")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
