import Postgres
import Testing

@Suite("Postgres transactions against a real server")
struct PostgresTransactionTests {
    struct AbortScenario: Error {}

    private func count(_ connection: PostgresConnection) async throws -> Int {
        let row = try #require(try await connection.query("SELECT count(*) FROM alarms").first)
        return try row.decode(Int.self, column: 0)
    }

    @Test("withTransaction commits on success and rolls back when the body throws")
    func commitAndRollback() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("CREATE TABLE alarms (id serial PRIMARY KEY, house_id int NOT NULL)")

            await #expect(throws: AbortScenario.self) {
                try await connection.withTransaction { tx in
                    try await tx.execute("INSERT INTO alarms (house_id) VALUES (\(1))")
                    try await tx.execute("INSERT INTO alarms (house_id) VALUES (\(2))")
                    throw AbortScenario()
                }
            }
            #expect(try await count(connection) == 0)
            #expect(await connection.isInTransaction == false)

            let inserted = try await connection.withTransaction { tx in
                try await tx.execute("INSERT INTO alarms (house_id) VALUES (\(1)), (\(2)), (\(3))")
            }
            #expect(inserted == 3)
            #expect(try await count(connection) == 3)
            await connection.close()
        }
    }

    @Test("a failed statement caught inside the body makes the commit report a rollback")
    func swallowedFailureIsNotCommitted() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("CREATE TABLE alarms (id serial PRIMARY KEY, house_id int NOT NULL)")

            let error = try await #require(throws: PostgresError.self) {
                try await connection.withTransaction { tx in
                    try await tx.execute("INSERT INTO alarms (house_id) VALUES (\(1))")
                    _ = try? await tx.execute("INSERT INTO alarms (house_id) VALUES (\(nil as Int?))")
                }
            }
            #expect(error.code == .transactionRolledBack)
            #expect(try await count(connection) == 0)

            let nested = try await #require(throws: PostgresError.self) {
                try await connection.withTransaction { tx in
                    try await tx.withTransaction { _ in }
                }
            }
            #expect(nested.code == .invalidQuery)
            #expect(await connection.isInTransaction == false)
            await connection.close()
        }
    }
}
