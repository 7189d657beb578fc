/// A SQL statement and its bind parameters.
///
/// Write queries as string literals; every interpolated value becomes a `$n`
/// parameter instead of text in the SQL:
///
/// ```swift
/// try await connection.query("SELECT id FROM users WHERE email = \(email) AND active = \(true)")
/// // sent as: SELECT id FROM users WHERE email = $1 AND active = $2, binds [email, true]
/// ```
///
/// A plain `String` variable does not convert to a `PostgresQuery`, so SQL
/// assembled by concatenating values cannot be passed by mistake. Code that
/// really builds SQL at run time says so with `init(unsafeSQL:binds:)`.
/// Identifiers (table and column names) cannot be parameters; interpolate them
/// with `\(identifier: name)`, which quotes them.
public struct PostgresQuery: Sendable, Equatable {
    /// The SQL text with `$1`, `$2`, … placeholders.
    public private(set) var sql: String
    /// One value per placeholder; nil is SQL NULL.
    public private(set) var binds: [PostgresValue?]

    /// A query whose SQL comes from somewhere other than a literal. The caller
    /// guarantees `sql` contains no user data; pass values as `binds` for `$1`…`$n`.
    public init(unsafeSQL sql: String, binds: [PostgresValue?] = []) {
        self.sql = sql
        self.binds = binds
    }
}

extension PostgresQuery: ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// Collects literal SQL and turns each interpolated value into the next `$n`.
    public struct StringInterpolation: StringInterpolationProtocol {
        public typealias StringLiteralType = String

        var sql: String
        var binds: [PostgresValue?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value, sent as the next bind parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bind(value.postgresValue)
        }

        /// An optional value; nil is sent as SQL NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            bind(value?.postgresValue)
        }

        /// A table or column name, written into the SQL double-quoted (with
        /// embedded quotes doubled), because identifiers cannot be parameters.
        public mutating func appendInterpolation(identifier: String) {
            sql += quoteIdentifier(identifier)
        }

        private mutating func bind(_ value: PostgresValue?) {
            binds.append(value)
            sql += "$\(binds.count)"
        }
    }
}

extension PostgresQuery: CustomStringConvertible {
    /// The SQL and the number of binds; never the values, which may be secrets.
    public var description: String {
        binds.isEmpty ? sql : "\(sql) [\(binds.count) bind\(binds.count == 1 ? "" : "s") redacted]"
    }
}

/// `name` as a double-quoted SQL identifier, safe to place in SQL text.
func quoteIdentifier(_ name: String) -> String {
    var quoted = "\""
    for character in name {
        if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
    }
    return quoted + "\""
}
