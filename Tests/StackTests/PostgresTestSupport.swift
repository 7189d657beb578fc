import Stack
import Testing

/// Runs `body` with the URL of a PostgreSQL server of its own, started by the
/// product's `EmbeddedStack` on a free loopback port and always stopped
/// afterwards, so Postgres tests can run in parallel without sharing tables.
func withPostgres<T>(_ body: (_ url: String) async throws -> T) async throws -> T {
    try await withStack([.postgres]) { stack in
        let url = try #require(stack.endpoints.postgres, "the embedded stack started PostgreSQL but reported no URL")
        return try await body(url)
    }
}
