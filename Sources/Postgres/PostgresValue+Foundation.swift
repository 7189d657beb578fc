import Foundation

extension Date: PostgresEncodable {
    /// Sent as `timestamptz` in UTC with microsecond precision, PostgreSQL's own resolution.
    public var postgresValue: PostgresValue {
        PostgresValue(text: PostgresTimestamp.format(self), type: .timestamptz)
    }
}

extension UUID: PostgresEncodable {
    /// Sent as `uuid`; lower-case, as PostgreSQL prints it back.
    public var postgresValue: PostgresValue {
        PostgresValue(text: uuidString.lowercased(), type: .uuid)
    }
}

extension Data: PostgresEncodable {
    /// Sent as `bytea`.
    public var postgresValue: PostgresValue { PostgresValue(bytes: [UInt8](self)) }
}
