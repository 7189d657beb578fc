import Foundation
import Postgres
import Testing

@Suite("Postgres COPY FROM STDIN against a real server")
struct PostgresCopyTests {
    /// A value with every byte COPY's text format must escape, plus text that looks like an escape.
    static func trickyPayload(_ index: Int) -> String {
        "row \(index)\tafter tab\nafter newline\r\\ backslash \\N not null 🔥 日本"
    }

    @Test("a COPY of 10,000 rows stores every row and keeps tabs, newlines and backslashes")
    func copyTenThousandRows() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("""
                CREATE TABLE readings (house_id int, seq bigint, ts timestamptz, kind text, payload text)
                """)
            let rows: [[String?]] = (0..<10_000).map { index in
                [
                    String(index % 7),
                    String(index),
                    "2024-05-01 12:00:00.\(String(format: "%06ld", index))+00",
                    index % 10 == 0 ? nil : "fire",
                    Self.trickyPayload(index),
                ]
            }
            let copied = try await connection.copyIn(
                table: "readings",
                columns: ["house_id", "seq", "ts", "kind", "payload"],
                rows: rows
            )
            #expect(copied == 10_000)

            let count = try #require(try await connection.query("SELECT count(*), count(kind) FROM readings").first)
            #expect(try count.decode(Int.self, column: 0) == 10_000)
            #expect(try count.decode(Int.self, column: 1) == 9_000)

            for seq in [0, 1, 4_999, 9_999] {
                let row = try #require(try await connection.query(
                    "SELECT house_id, kind, payload, ts FROM readings WHERE seq = \(seq)"
                ).first)
                #expect(try row.decode(Int.self, column: "house_id") == seq % 7)
                #expect(try row.decode(String?.self, column: "kind") == (seq % 10 == 0 ? nil : "fire"))
                #expect(try row.decode(String.self, column: "payload") == Self.trickyPayload(seq))
                let expected = Date(timeIntervalSince1970: 1_714_564_800 + Double(seq) / 1_000_000)
                #expect(abs(try row.decode(Date.self, column: "ts").timeIntervalSince(expected)) < 0.000_001)
            }
            await connection.close()
        }
    }

    @Test("a rejected COPY stores nothing and leaves the connection usable")
    func rejectedCopyStoresNothing() async throws {
        try await withPostgres { url in
            let connection = try await PostgresConnection.connect(url: url)
            try await connection.executeScript("CREATE TABLE pairs (a int, b text)")

            let wrongWidth = try await #require(throws: PostgresError.self) {
                try await connection.copyIn(table: "pairs", columns: ["a", "b"], rows: [["1", "one"], ["2"]])
            }
            #expect(wrongWidth.code == .copyFailed)
            #expect(wrongWidth.message.contains("row 1"))

            let badValue = try await #require(throws: PostgresError.self) {
                try await connection.copyIn(table: "pairs", columns: ["a", "b"], rows: [["1", "one"], ["two", "2"]])
            }
            #expect(badValue.code == .serverError)
            #expect(badValue.sqlState == "22P02")

            let nul = try await #require(throws: PostgresError.self) {
                try await connection.copyIn(table: "pairs", columns: ["a", "b"], rows: [["1", "a\u{0}b"]])
            }
            #expect(nul.message.contains("column \"b\""))

            let count = try #require(try await connection.query("SELECT count(*) FROM pairs").first)
            #expect(try count.decode(Int.self, column: 0) == 0)
            await connection.close()
        }
    }
}
