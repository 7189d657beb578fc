import Postgres
import Testing

@Suite("PostgresPool against a real server")
struct PostgresPoolTests {
    @Test("concurrent queries from more tasks than connections all complete")
    func moreTasksThanConnections() async throws {
        try await withPostgres { url in
            let pool = PostgresPool(url: url, size: 3)
            let tasks = 24
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        try await pool.withConnection { connection in
                            // pg_sleep keeps each connection busy long enough for tasks to queue.
                            let row = try #require(try await connection.query(
                                "SELECT \(task) * 2 FROM pg_sleep(0.02)"
                            ).first)
                            return try row.decode(Int.self, column: 0)
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.sorted() == (0..<tasks).map { $0 * 2 })
            #expect(await pool.openConnections <= 3)
            #expect(await pool.waitingTasks == 0)
            await pool.close()
        }
    }

    @Test("a connection whose backend was killed is replaced for the next task")
    func brokenConnectionIsReplaced() async throws {
        try await withPostgres { url in
            let pool = PostgresPool(url: url, size: 1)
            let firstPID = try await pool.withConnection { connection in
                try #require(try await connection.query("SELECT pg_backend_pid()").first).decode(Int32.self, column: 0)
            }
            let killer = try await PostgresConnection.connect(url: url)
            try await killer.query("SELECT pg_terminate_backend(\(firstPID))")

            let lost = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.query("SELECT 1")
                }
            }
            #expect(lost.code == .connectionClosed)

            let secondPID = try await pool.withConnection { connection in
                try #require(try await connection.query("SELECT pg_backend_pid()").first).decode(Int32.self, column: 0)
            }
            #expect(secondPID != firstPID)
            await killer.close()
            await pool.close()
        }
    }

    @Test("a transaction left open is rolled back before the connection is lent again")
    func leftoverTransactionIsRolledBack() async throws {
        try await withPostgres { url in
            let pool = PostgresPool(url: url, size: 1)
            try await pool.withConnection { connection in
                try await connection.executeScript("CREATE TABLE t (v int)")
                try await connection.executeScript("BEGIN; INSERT INTO t VALUES (1)")
            }
            let count = try await pool.withConnection { connection in
                #expect(await connection.isInTransaction == false)
                return try #require(try await connection.query("SELECT count(*) FROM t").first).decode(Int.self, column: 0)
            }
            #expect(count == 0)
            await pool.close()
            await #expect(throws: PostgresError.self) { try await pool.lease() }
        }
    }
}
