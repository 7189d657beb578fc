import Foundation

extension Date: PostgresDecodable {
    /// Reads `timestamptz`, `timestamp` (as UTC) and `date` (midnight UTC).
    /// `infinity` and `-infinity` fail: no `Date` represents them.
    public init?(postgresText text: String, type: PostgresDataType) {
        guard let date = PostgresTimestamp.parse(text) else { return nil }
        self = date
    }
}

extension UUID: PostgresDecodable {
    public init?(postgresText text: String, type: PostgresDataType) {
        self.init(uuidString: text)
    }
}

extension Data: PostgresDecodable {
    /// Reads a `bytea` column, like `[UInt8]`.
    public init?(postgresText text: String, type: PostgresDataType) {
        guard let bytes = [UInt8](postgresText: text, type: type) else { return nil }
        self.init(bytes)
    }
}
