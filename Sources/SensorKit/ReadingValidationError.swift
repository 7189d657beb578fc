/// Why a reading does not match its plugin's declarations.
///
/// Returned by `SensorDescriptor.validate(_:)`: the writer refuses to write such
/// a reading, and the subscriber dead-letters it under `code`.
public struct ReadingValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let wrongKind = Code(rawValue: "wrong_kind")
        public static let emptySensorName = Code(rawValue: "empty_sensor_name")
        public static let missingField = Code(rawValue: "missing_field")
        public static let unexpectedField = Code(rawValue: "unexpected_field")
        public static let duplicateField = Code(rawValue: "duplicate_field")
        public static let wrongType = Code(rawValue: "wrong_type")
        public static let outOfRange = Code(rawValue: "out_of_range")
        public static let notAllowedValue = Code(rawValue: "not_allowed_value")
        public static let wrongUnit = Code(rawValue: "wrong_unit")
        public static let unknownAlarm = Code(rawValue: "unknown_alarm")
        public static let duplicateAlarm = Code(rawValue: "duplicate_alarm")
        /// The values meet an alarm's raise condition but the alarm is not listed.
        public static let alarmNotRaised = Code(rawValue: "alarm_not_raised")
        /// The values meet an alarm's clear condition but the alarm is listed.
        public static let alarmNotCleared = Code(rawValue: "alarm_not_cleared")
    }

    public var code: Code
    public var message: String
    /// The payload key at fault, when there is one.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }
}
