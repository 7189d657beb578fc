import Postgres
import Schema
import Stack

/// Runs `body` against a fresh embedded PostgreSQL (own port, own run
/// directory) and always stops it, so these tests run in parallel.
func withPostgres<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
    try await EmbeddedStack.withRunning(StackConfiguration(services: [.postgres])) { stack in
        try await body(stack.endpoints.postgres!)
    }
}

/// Runs `body` with one connection to a fresh, migrated database.
func withMigratedDatabase<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
    try await withPostgres { url in
        let connection = try await PostgresConnection.connect(url: url)
        do {
            try await Schema.migrate(connection)
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}

extension PostgresConnection {
    /// The single value of a one-row, one-column query.
    func scalar<T: PostgresDecodable>(_ type: T.Type = T.self, _ query: PostgresQuery) throws -> T {
        try self.query(query)[0].decode(T.self, column: 0)
    }
}
