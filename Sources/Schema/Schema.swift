import Postgres

/// hearth's PostgreSQL schema: the tables of DESIGN.md (users, houses,
/// house_users, appliances, sensors, alarms, readings) and the ways to fill them.
///
/// - ``migrate(_:)-(PostgresPool)``: bring a database up to date; safe to
///   call from every process at start-up, concurrently.
/// - ``seedEstate(_:houses:sensors:owners:)``: insert a scenario's houses,
///   owners and sensors with explicit ids, idempotently.
/// - ``seedExample(_:)``: the original system's example data (user 1 owns
///   houses 1 and 5), for demos and API tests.
/// - ``estateVersion(_:)``: the counter that tells caches of houses and
///   sensors when to reload.
///
/// The migrations themselves are ``Migration`` values, one file per version.
public enum Schema {
    /// Applies every migration this build knows that the database lacks.
    @discardableResult
    public static func migrate(_ pool: PostgresPool) async throws -> MigrationReport {
        try await pool.withConnection { try await SchemaMigrator.migrate($0) }
    }

    /// Applies every migration this build knows that the database lacks.
    @discardableResult
    public static func migrate(_ connection: PostgresConnection) async throws -> MigrationReport {
        try await SchemaMigrator.migrate(connection)
    }

    /// The estate version (migration 4): it goes up on every statement that
    /// changes `houses` or `sensors`. Poll it and reload cached houses and
    /// sensors when it moves; it costs one primary-key lookup.
    public static func estateVersion(_ connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT version FROM estate_version")
        guard let row = rows.first else {
            throw SchemaError("the estate_version table is empty", advice: "run the migrations on a fresh database")
        }
        return try row.decode(Int64.self, column: 0)
    }
}
