/// One bound parameter, ready to send: its bytes, their format and the type
/// the server should read them as.
///
/// Values only ever travel as bind parameters (`$1`, `$2`, …) next to the SQL
/// text, never inside it, so no quoting or escaping can go wrong. Their
/// `description` is redacted because parameters may be secrets (tokens,
/// passwords, personal data) and must not reach a log by accident.
public struct PostgresValue: Sendable, Hashable {
    enum Payload: Sendable, Hashable {
        /// Text format; the server parses it as `type`.
        case text(String)
        /// Binary format; used for `bytea`, whose binary form is the raw bytes.
        case binary([UInt8])
    }

    let payload: Payload
    /// The type the server reads the value as; `.unknown` lets it infer the type from the statement.
    public let type: PostgresDataType

    /// A value in PostgreSQL's text form, e.g. `"42"` or `"2024-05-01 00:00:00+00"`.
    /// With `type: .unknown` the server infers the type, so text can fill a `uuid` or `jsonb` column.
    public init(text: String, type: PostgresDataType = .unknown) {
        self.payload = .text(text)
        self.type = type
    }

    /// A `bytea` value, sent as raw bytes (no hex or escape encoding on the way).
    public init(bytes: [UInt8]) {
        self.payload = .binary(bytes)
        self.type = .bytea
    }
}

extension PostgresValue: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "<\(type) parameter, redacted>" }
    public var debugDescription: String { description }
}

/// A Swift value that can be sent as a bind parameter.
///
/// Conform your own types (an enum stored as text, a wrapper around an ID) by
/// returning their `PostgresValue`.
public protocol PostgresEncodable: Sendable {
    var postgresValue: PostgresValue { get }
}

extension PostgresValue: PostgresEncodable {
    public var postgresValue: PostgresValue { self }
}

extension String: PostgresEncodable {
    /// Sent as `unknown`, so the server reads it as whatever the column or
    /// operator needs (`text`, `varchar`, `uuid`, `jsonb`, `timestamptz`).
    public var postgresValue: PostgresValue { PostgresValue(text: self) }
}

extension Substring: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self)) }
}

extension Int: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self), type: .int8) }
}

extension Int64: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self), type: .int8) }
}

extension Int32: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self), type: .int4) }
}

extension Int16: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: String(self), type: .int2) }
}

extension Bool: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: self ? "t" : "f", type: .bool) }
}

extension Double: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: postgresFloatText(self), type: .float8) }
}

extension Float: PostgresEncodable {
    public var postgresValue: PostgresValue { PostgresValue(text: postgresFloatText(Double(self)), type: .float4) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    /// Sent as `bytea`.
    public var postgresValue: PostgresValue { PostgresValue(bytes: self) }
}

/// A float in the spelling PostgreSQL's `float8in` accepts (`Infinity`, `NaN`, `1e+20`).
private func postgresFloatText(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    return String(value)
}
