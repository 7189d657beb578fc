import Postgres

/// Brings a database up to the newest ``Migration`` this build knows.
///
/// Each migration runs in its own transaction that first takes a
/// transaction-scoped advisory lock, then (re)checks `schema_migrations`,
/// applies the SQL and records the version. Two processes that start at once
/// (two subscribers, a subscriber and the API) therefore queue on the lock and
/// the second finds the work done; a migration that fails rolls back whole and
/// leaves the database at the previous version.
public enum SchemaMigrator {
    /// The advisory lock key: "hearth" in ASCII in the high bytes, then 1, so it
    /// does not collide with locks other software on the same database takes.
    static let lockKey: Int64 = 0x6865_6172_7468_0001

    /// Applies every migration not yet recorded, in version order.
    ///
    /// - Throws: `PostgresError` from the server, or ``SchemaError`` when the
    ///   database records a version under another name (a different schema
    ///   lives in this database).
    @discardableResult
    public static func migrate(
        _ connection: PostgresConnection,
        migrations: [Migration] = Migration.all
    ) async throws -> MigrationReport {
        let ordered = migrations.sorted { $0.version < $1.version }
        precondition(Set(ordered.map(\.version)).count == ordered.count, "migration versions must be unique")
        var applied: [Int] = []
        for migration in ordered where try await apply(migration, on: connection) {
            applied.append(migration.version)
        }
        let recorded = try await connection.query("SELECT version FROM schema_migrations ORDER BY version")
            .map { try $0.decode(Int.self, column: 0) }
        let known = Set(ordered.map(\.version))
        return MigrationReport(
            applied: applied,
            current: recorded.last ?? 0,
            unknown: recorded.filter { !known.contains($0) }
        )
    }

    /// Takes a pooled connection for ``migrate(_:migrations:)``.
    @discardableResult
    public static func migrate(_ pool: PostgresPool, migrations: [Migration] = Migration.all) async throws -> MigrationReport {
        try await pool.withConnection { try await migrate($0, migrations: migrations) }
    }

    /// Applies one migration unless it is already recorded; returns whether it ran.
    private static func apply(_ migration: Migration, on connection: PostgresConnection) async throws -> Bool {
        try await connection.withTransaction { tx in
            try await tx.query("SELECT pg_advisory_xact_lock(\(lockKey))")
            try await tx.executeScript("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let recorded = try await tx.query("SELECT name FROM schema_migrations WHERE version = \(migration.version)")
            if let row = recorded.first {
                let name = try row.decode(String.self, column: 0)
                guard name == migration.name else {
                    throw SchemaError(
                        "the database records schema version \(migration.version) as '\(name)', but hearth's version \(migration.version) is '\(migration.name)'",
                        advice: "point hearth at its own database (another application's schema lives in this one)"
                    )
                }
                return false
            }
            try await tx.executeScript(migration.sql)
            try await tx.execute("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            return true
        }
    }
}

/// What ``SchemaMigrator/migrate(_:migrations:)`` did.
public struct MigrationReport: Sendable, Equatable {
    /// The versions applied by this call (empty when the schema was current).
    public var applied: [Int]
    /// The highest version recorded in the database afterwards.
    public var current: Int
    /// Versions the database records that this build does not know: a newer
    /// hearth migrated it. Additive migrations keep older builds working, so
    /// this is reported rather than refused.
    public var unknown: [Int]
}
