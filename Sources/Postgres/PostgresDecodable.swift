/// A Swift type a column can be decoded as.
///
/// Results arrive in PostgreSQL's text format, which is exact for every type
/// here and readable in error messages. A conforming type parses that text and
/// returns nil when it cannot, so the row can report which column failed and
/// what it held.
public protocol PostgresDecodable {
    /// Parses the column's text form; nil when `text` is not a valid value of this type.
    init?(postgresText text: String, type: PostgresDataType)

    /// What SQL NULL decodes to, or nil when NULL is an error for this type.
    /// Only `Optional` accepts NULL.
    static var postgresNullValue: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNullValue: Self? { nil }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init?(postgresText text: String, type: PostgresDataType) {
        guard let wrapped = Wrapped(postgresText: text, type: type) else { return nil }
        self = .some(wrapped)
    }

    public static var postgresNullValue: Self? { .some(.none) }
}

extension String: PostgresDecodable {
    /// Any column decodes as its text form: `uuid`, `numeric`, `jsonb` included.
    public init?(postgresText text: String, type: PostgresDataType) { self = text }
}

extension PostgresDecodable where Self: LosslessStringConvertible {
    /// Numbers parse their own text form: PostgreSQL prints integers, floats
    /// (`Infinity`, `NaN` included) and numerics the way Swift reads them.
    public init?(postgresText text: String, type: PostgresDataType) { self.init(text) }
}

extension Int: PostgresDecodable {}
extension Int64: PostgresDecodable {}
extension Int32: PostgresDecodable {}
extension Int16: PostgresDecodable {}
extension Double: PostgresDecodable {}
extension Float: PostgresDecodable {}

extension Bool: PostgresDecodable {
    public init?(postgresText text: String, type: PostgresDataType) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// Reads a `bytea` column in either of its output formats (`hex`, the
    /// default, or `escape`). Other column types are rejected rather than
    /// silently returning their UTF-8 bytes.
    public init?(postgresText text: String, type: PostgresDataType) {
        guard type == .bytea, let bytes = ByteaText.decode(text) else { return nil }
        self = bytes
    }
}
