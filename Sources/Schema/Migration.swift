import Postgres

/// One step of the database schema: a version number, a short name, and the
/// SQL that takes the database from the previous version to this one.
///
/// The SQL is a `StaticString`, so a migration can never contain a value
/// spliced in at run time; it runs with `executeScript` (simple query
/// protocol, several statements) inside the transaction that also records it
/// in `schema_migrations`, so a migration is applied completely or not at all.
///
/// Migrations are Swift constants, one file per version
/// (`Migrations/Migration0001Estate.swift`, ...), rather than `.sql` resource
/// files: the `hearth` binary then carries its schema inside itself and can be
/// copied anywhere (a container, a CI runner) without a resource bundle next
/// to it, whose absence would make `Bundle.module` stop the process.
/// Never edit a released migration; add the next version instead.
public struct Migration: Sendable {
    /// Applied in ascending order; unique.
    public let version: Int
    /// Recorded next to the version, so a person reading `schema_migrations` knows what each one did.
    public let name: String
    public let sql: StaticString

    public init(version: Int, name: String, sql: StaticString) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

extension Migration {
    /// Every migration this build knows, in the order they apply.
    public static let all: [Migration] = [.estate, .alarms, .readings, .estateVersion, .alarmKey]
}
