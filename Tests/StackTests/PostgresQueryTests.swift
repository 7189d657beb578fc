import Foundation
import Postgres
import Testing

@Suite("Postgres queries against a real server")
struct PostgresQueryTests {
    @Test("a parameterised insert and select keep quotes, backslashes, non-ASCII text and NULL intact")
    func parameterisedRoundTrip() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("CREATE TABLE notes (id int PRIMARY KEY, body text, note text)")
            let tricky = #"It's "quoted"; \ back\slash \\ and \n not-a-newline ' OR '1'='1 -- 🔥🏠 café naïve 日本語 한국어"#
            let inserted = try await connection.execute(
                "INSERT INTO notes (id, body, note) VALUES (\(1), \(tricky), \(nil as String?))"
            )
            #expect(inserted == 1)

            let rows = try await connection.query("SELECT body, note, length(body) FROM notes WHERE body = \(tricky)")
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(String.self, column: "body") == tricky)
            #expect(try row.decode(String?.self, column: "note") == nil)
            #expect(try row.isNull(column: 1))
            #expect(try row.decode(Int.self, column: 2) == tricky.count)
            await connection.close()
        }
    }

    @Test("every supported Swift type survives a round trip through its PostgreSQL type")
    func typedRoundTrip() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("""
                CREATE TABLE samples (
                    i8 bigint, i4 int, b bool, f8 double precision, t text,
                    bytes bytea, at timestamptz, id uuid, missing int
                )
                """)
            let bytes: [UInt8] = [0, 1, 0x5C, 0x27, 0x7F, 0x80, 0xFF]
            let at = Date(timeIntervalSince1970: 1_714_567_890.123456)
            let id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
            try await connection.execute("""
                INSERT INTO samples VALUES (
                    \(Int.max), \(Int32.min), \(true), \(-2.5), \("text"), \(bytes), \(at), \(id), \(nil as Int?)
                )
                """)
            let row = try #require(try await connection.query("SELECT * FROM samples").first)
            #expect(try row.decode(Int.self, column: "i8") == Int.max)
            #expect(try row.decode(Int64.self, column: "i8") == Int64.max)
            #expect(try row.decode(Int32.self, column: "i4") == Int32.min)
            #expect(try row.decode(Bool.self, column: "b") == true)
            #expect(try row.decode(Double.self, column: "f8") == -2.5)
            #expect(try row.decode(String.self, column: "t") == "text")
            #expect(try row.decode([UInt8].self, column: "bytes") == bytes)
            let decodedAt = try row.decode(Date.self, column: "at")
            #expect(abs(decodedAt.timeIntervalSince(at)) < 0.000_001)
            #expect(try row.decode(String.self, column: "id") == id)
            #expect(try row.decode(UUID.self, column: "id") == UUID(uuidString: id))
            #expect(try row.decode(Int?.self, column: "missing") == nil)

            let echoed = try #require(try await connection.query("SELECT \(at)::timestamptz = at FROM samples").first)
            #expect(try echoed.decode(Bool.self, column: 0))
            await connection.close()
        }
    }

    @Test("decoding errors name the column and show what it held")
    func decodingErrors() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            let row = try #require(try await connection.query("SELECT 'abc'::text AS kind, NULL::int AS level").first)

            let mismatch = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "kind") }
            #expect(mismatch.code == .decoding)
            #expect(mismatch.message.contains("column 0 \"kind\" (text)"))
            #expect(mismatch.message.contains("\"abc\""))

            let null = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: 1) }
            #expect(null.message.contains("\"level\" (int4)"))
            #expect(null.message.contains("NULL"))

            let unknown = try #require(throws: PostgresError.self) { try row.decode(Int.self, column: "nope") }
            #expect(unknown.message.contains("kind, level"))
            await connection.close()
        }
    }

    @Test("server errors carry their SQLSTATE and leave the connection usable")
    func serverErrorsCarrySQLState() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("CREATE TABLE houses (id int PRIMARY KEY, name text)")
            try await connection.execute("INSERT INTO houses VALUES (\(1), \("first"))")

            let duplicate = try await #require(throws: PostgresError.self) {
                try await connection.execute("INSERT INTO houses VALUES (\(1), \("again"))")
            }
            #expect(duplicate.code == .serverError)
            #expect(duplicate.sqlState == "23505")
            #expect(duplicate.constraintName == "houses_pkey")
            #expect(duplicate.detail?.contains("already exists") == true)
            #expect(duplicate.description.contains("23505"))
            #expect(!duplicate.description.contains("again"))

            let syntax = try await #require(throws: PostgresError.self) {
                try await connection.query("SELEC id FROM houses")
            }
            #expect(syntax.sqlState == "42601")
            #expect(syntax.serverMessage?.contains("syntax error") == true)

            let count = try #require(try await connection.query("SELECT count(*) FROM houses").first)
            #expect(try count.decode(Int.self, column: 0) == 1)
            await connection.close()
        }
    }

    @Test("a prepared statement is reused, and re-prepared after the server drops it")
    func preparedStatementsSurviveDeallocateAll() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            for value in 0..<3 {
                let row = try #require(try await connection.query("SELECT \(value) + 1").first)
                #expect(try row.decode(Int.self, column: 0) == value + 1)
            }
            let prepared = try #require(try await connection.query("SELECT count(*) FROM pg_prepared_statements").first)
            #expect(try prepared.decode(Int.self, column: 0) == 2)

            try await connection.executeScript("DEALLOCATE ALL")
            let row = try #require(try await connection.query("SELECT \(41) + 1").first)
            #expect(try row.decode(Int.self, column: 0) == 42)
            await connection.close()
        }
    }

    @Test("a closed connection and an unreachable server fail with clear codes")
    func connectionFailures() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            await connection.close()
            let closed = try await #require(throws: PostgresError.self) { try await connection.query("SELECT 1") }
            #expect(closed.code == .connectionClosed)
        }
        let refused = try await #require(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(url: "postgres://postgres@127.0.0.1:1/postgres", connectTimeout: .seconds(2))
        }
        #expect(refused.code == .connectionFailed)
        #expect(refused.description.contains("check that the server is running"))
    }

    @Test("a text parameter with a NUL byte is rejected before it is sent")
    func nulInTextIsRejected() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            let error = try await #require(throws: PostgresError.self) {
                try await connection.query("SELECT \("a\u{0}b")::text")
            }
            #expect(error.code == .invalidQuery)
            #expect(error.message.contains("$1"))
            await connection.close()
        }
    }
}
