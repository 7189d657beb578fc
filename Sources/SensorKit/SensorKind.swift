/// The kind of a sensor: the name that scenario files, payloads (`kind`),
/// JSON Schema files and the plugin catalogue all agree on.
///
/// It is an open set, not an enum, because a plugin loaded at run time from a
/// shared library brings a kind that this module has never heard of.
public struct SensorKind: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func < (lhs: SensorKind, rhs: SensorKind) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let fireCO = SensorKind("fire_co")
    public static let leak = SensorKind("leak")
    public static let doorWindow = SensorKind("door_window")
    public static let thermostat = SensorKind("thermostat")
    public static let motion = SensorKind("motion")
    public static let garage = SensorKind("garage")

    /// The six kinds that ship with hearth, in catalogue order.
    public static let builtIn: [SensorKind] = [.fireCO, .leak, .doorWindow, .thermostat, .motion, .garage]
}

extension SensorKind {
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
