import Postgres
@testable import Schema
import Testing

@Suite("Schema migrations")
struct MigrationTests {
    @Test("versions are unique and ascending")
    func versionsAreOrdered() {
        let versions = Migration.all.map(\.version)
        #expect(versions == Array(1...versions.count))
        #expect(Set(Migration.all.map(\.name)).count == versions.count)
    }

    @Test("a fresh database is migrated once; running again applies nothing")
    func migratesOnce() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            let first = try await Schema.migrate(connection)
            #expect(first == MigrationReport(applied: [1, 2, 3, 4, 5], current: 5, unknown: []))
            let second = try await Schema.migrate(connection)
            #expect(second == MigrationReport(applied: [], current: 5, unknown: []))
            let recorded = try await connection.query("SELECT version, name FROM schema_migrations ORDER BY version")
                .map { "\(try $0.decode(Int.self, column: 0)) \(try $0.decode(String.self, column: 1))" }
            #expect(recorded == ["1 estate", "2 alarms", "3 readings", "4 estate_version", "5 alarm_key_with_time"])
            await connection.close()
        }
    }

    @Test("four processes migrating at once apply each version exactly once")
    func concurrentMigrations() async throws {
        try await withPostgres { url in
            let reports = try await withThrowingTaskGroup(of: MigrationReport.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let connection = try await PostgresConnection.connect(url: url)
                        let report = try await Schema.migrate(connection)
                        await connection.close()
                        return report
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.flatMap(\.applied).sorted() == [1, 2, 3, 4, 5])
            #expect(reports.allSatisfy { $0.current == 5 })
        }
    }

    @Test("a version recorded under another name is refused, and a newer version is reported")
    func foreignSchema() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await Schema.migrate(connection)
            try await connection.execute("INSERT INTO schema_migrations (version, name) VALUES (\(99), \("from_the_future"))")
            #expect(try await Schema.migrate(connection).unknown == [99])
            try await connection.execute("UPDATE schema_migrations SET name = \("someone_else") WHERE version = \(2)")
            await #expect(throws: SchemaError.self) { try await Schema.migrate(connection) }
            await connection.close()
        }
    }

    @Test("a failing migration rolls back whole and records nothing")
    func failedMigrationRollsBack() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            let broken = Migration(version: 1, name: "broken", sql: "CREATE TABLE half_done (id int); SELECT no_such_column FROM half_done;")
            await #expect(throws: PostgresError.self) { try await SchemaMigrator.migrate(connection, migrations: [broken]) }
            // The ledger was created in the same transaction, so it is gone too.
            let tables = try await connection.scalar(Int.self, """
                SELECT count(*) FROM pg_tables WHERE tablename IN (\("half_done"), \("schema_migrations"))
                """)
            #expect(tables == 0)
            await connection.close()
        }
    }
}
