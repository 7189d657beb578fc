import Foundation
@testable import Postgres
import Testing

/// The client's pure parts, without a server: query building, COPY escaping,
/// timestamp text and bytea text.
@Suite("Postgres encoding (no I/O)")
struct PostgresEncodingTests {
    @Test("interpolated values become $n binds and never enter the SQL text")
    func interpolationBindsValues() {
        let email = "x' OR '1'='1"
        let house: Int? = nil
        let query: PostgresQuery = "SELECT * FROM \(identifier: "odd\"name") WHERE email = \(email) AND house = \(house) LIMIT \(5)"
        #expect(query.sql == #"SELECT * FROM "odd""name" WHERE email = $1 AND house = $2 LIMIT $3"#)
        #expect(query.binds == [PostgresValue(text: email), nil, PostgresValue(text: "5", type: .int8)])
        #expect(!query.description.contains(email))
        #expect(!"\(PostgresValue(text: "secret"))".contains("secret"))
    }

    @Test("COPY text escapes backslash, tab, newline and carriage return, and writes NULL as \\N")
    func copyEscaping() {
        var encoder = CopyTextEncoder(capacity: 64)
        #expect(encoder.appendRow(["a\tb", nil, "c\nd\re\\f", "", "plain ü"]) == nil)
        let expected = "a\\tb\t\\N\tc\\nd\\re\\\\f\t\tplain ü\n"
        #expect(String(decoding: encoder.bytes, as: UTF8.self) == expected)
        #expect(encoder.appendRow(["ok", "bad\u{0}"]) == 1)
    }

    @Test("timestamps format as PostgreSQL ISO text and parse back, with offsets, fractions and BC")
    func timestamps() throws {
        let date = Date(timeIntervalSince1970: 1_714_567_890.123456)
        #expect(PostgresTimestamp.format(date) == "2024-05-01 12:51:30.123456+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -1)) == "1969-12-31 23:59:59+00")

        let parsed = try #require(PostgresTimestamp.parse("2024-05-01 12:51:30.123456+00"))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.000_001)
        #expect(PostgresTimestamp.parse("2024-05-01 14:21:30.123456+01:30") == parsed)
        #expect(PostgresTimestamp.parse("2024-05-01 07:51:30.123456-05") == parsed)
        #expect(PostgresTimestamp.parse("2024-05-01 12:51:30.1+00")?.timeIntervalSince1970 == 1_714_567_890.1)
        #expect(PostgresTimestamp.parse("1970-01-02")?.timeIntervalSince1970 == 86_400)
        #expect(PostgresTimestamp.parse("0001-01-01 00:00:00+00 BC") != nil)
        #expect(PostgresTimestamp.parse("infinity") == nil)
        #expect(PostgresTimestamp.parse("2024-13-01 00:00:00+00") == nil)
    }

    @Test("bytea text decodes from hex and escape formats, and only for bytea columns")
    func byteaText() {
        #expect([UInt8](postgresText: "\\x00ff5c", type: .bytea) == [0x00, 0xFF, 0x5C])
        #expect([UInt8](postgresText: "a\\\\b\\001", type: .bytea) == [0x61, 0x5C, 0x62, 0x01])
        #expect([UInt8](postgresText: "\\x0", type: .bytea) == nil)
        #expect([UInt8](postgresText: "\\x00", type: .text) == nil)
    }

    @Test("the statement cache evicts the least recently used statement when full")
    func statementCacheEviction() {
        var cache = PreparedStatementCache(capacity: 2)
        let a = PreparedStatementCache.Key(sql: "a", types: [])
        let b = PreparedStatementCache.Key(sql: "b", types: [])
        let c = PreparedStatementCache.Key(sql: "c", types: [])
        #expect(cache.insert(a, name: "s1") == nil)
        #expect(cache.insert(b, name: "s2") == nil)
        #expect(cache.name(for: a) == "s1")
        #expect(cache.insert(c, name: "s3") == "s2")
        #expect(cache.name(for: b) == nil)
        #expect(cache.count == 2)
    }

    @Test("errors say what went wrong and what to do in one line, without the server's detail")
    func errorDescription() {
        let error = PostgresError(
            code: .serverError,
            message: "duplicate key value violates unique constraint \"houses_pkey\"",
            sqlState: "23505",
            serverMessage: "duplicate key value violates unique constraint \"houses_pkey\"",
            detail: "Key (id)=(secret) already exists."
        )
        #expect(error.description == "PostgreSQL serverError 23505: duplicate key value violates unique constraint \"houses_pkey\" — the row already exists; change the key or use INSERT … ON CONFLICT")
        #expect(!error.description.contains("secret"))
        #expect(error.debugDescription.contains("secret"))
        #expect(!error.description.contains("\n"))
    }
}
