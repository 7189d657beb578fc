/// A PostgreSQL type, identified by its OID.
///
/// Values carry one so the server parses a bind as the intended type (an
/// `Int` as `int8`, a `Date` as `timestamptz`), and decoding errors name the
/// type a column really holds. `unknown` (OID 0) lets the server infer the type
/// from context, which is how a Swift `String` can fill a `uuid`, `jsonb` or
/// `timestamptz` column.
public struct PostgresDataType: Hashable, Sendable, CustomStringConvertible {
    /// The type's OID from `pg_type`.
    public var oid: UInt32

    public init(oid: UInt32) { self.oid = oid }

    public static let unknown = PostgresDataType(oid: 0)
    public static let bool = PostgresDataType(oid: 16)
    public static let bytea = PostgresDataType(oid: 17)
    public static let name = PostgresDataType(oid: 19)
    public static let int8 = PostgresDataType(oid: 20)
    public static let int2 = PostgresDataType(oid: 21)
    public static let int4 = PostgresDataType(oid: 23)
    public static let text = PostgresDataType(oid: 25)
    public static let oidType = PostgresDataType(oid: 26)
    public static let json = PostgresDataType(oid: 114)
    public static let float4 = PostgresDataType(oid: 700)
    public static let float8 = PostgresDataType(oid: 701)
    public static let bpchar = PostgresDataType(oid: 1042)
    public static let varchar = PostgresDataType(oid: 1043)
    public static let date = PostgresDataType(oid: 1082)
    public static let time = PostgresDataType(oid: 1083)
    public static let timestamp = PostgresDataType(oid: 1114)
    public static let timestamptz = PostgresDataType(oid: 1184)
    public static let numeric = PostgresDataType(oid: 1700)
    public static let uuid = PostgresDataType(oid: 2950)
    public static let jsonb = PostgresDataType(oid: 3802)

    private static let names: [UInt32: String] = [
        0: "unknown", 16: "bool", 17: "bytea", 19: "name", 20: "int8", 21: "int2", 23: "int4",
        25: "text", 26: "oid", 114: "json", 700: "float4", 701: "float8", 1042: "bpchar",
        1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp", 1184: "timestamptz",
        1700: "numeric", 2950: "uuid", 3802: "jsonb",
    ]

    /// The type's name for the common built-in types, `oid <n>` otherwise.
    public var description: String { Self.names[oid] ?? "oid \(oid)" }
}
