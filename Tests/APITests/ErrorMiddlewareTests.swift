@testable import API
import Hummingbird
import HummingbirdTesting
import Postgres
import Redis
import Testing

/// How ErrorMiddleware answers each kind of failure, on a router of its own
/// whose handlers throw them (no servers).
@Suite("Error responses")
struct ErrorMiddlewareTests {
    static func send(_ error: any Error & Sendable) async throws -> Reply {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.get("fail") { _, _ -> Response in throw error }
        let app = Application(router: router)
        return try await app.test(.router) { client in
            let response = try await client.executeRequest(uri: "/fail", method: .get, headers: [:], body: nil)
            return Reply(status: response.status, headers: response.headers, body: Array(buffer: response.body))
        }
    }

    @Test("a unique violation is 409 and a check violation 422, without the server's text")
    func constraintViolations() async throws {
        let duplicate = PostgresError(code: .serverError, message: "statement failed", sqlState: "23505",
                                      serverMessage: "duplicate key value violates unique constraint", detail: "Key (email)=(a@b.c) already exists")
        let conflict = try await Self.send(duplicate)
        #expect(conflict.status == .conflict)
        #expect(!conflict.text.contains("a@b.c"))
        #expect(!conflict.text.contains("constraint"))
        let check = try await Self.send(PostgresError(code: .serverError, message: "statement failed", sqlState: "23514"))
        #expect(check.status == .unprocessableContent)
    }

    @Test("an unreachable PostgreSQL or Redis is 503 with an id; any other failure is 500 with an id")
    func serverFailures() async throws {
        let postgresDown = try await Self.send(PostgresError(code: .connectionFailed, message: "could not connect to 127.0.0.1:5432"))
        #expect(postgresDown.status == .serviceUnavailable)
        #expect(postgresDown.errorCode == "unavailable")
        #expect(!postgresDown.text.contains("5432"))
        let redisDown = try await Self.send(RedisError(.connectionLost, "lost the Redis connection"))
        #expect(redisDown.status == .serviceUnavailable)
        #expect(redisDown.json["error"]["id"].string?.count == 16)
        let syntax = try await Self.send(PostgresError(code: .serverError, message: "statement failed", sqlState: "42601",
                                                       serverMessage: "syntax error at or near \"FROM\"", query: "SELECT FROM"))
        #expect(syntax.status == .internalServerError)
        #expect(!syntax.text.contains("SELECT"))
        #expect(!syntax.text.contains("syntax"))
    }

    @Test("API errors keep their status, code, field and headers")
    func apiErrors() async throws {
        let invalid = try await Self.send(APIError.invalid("email", "must be an e-mail address"))
        #expect(invalid.status == .unprocessableContent)
        #expect(invalid.errorField == "email")
        #expect(invalid.errorCode == "validation_failed")
        let unauthenticated = try await Self.send(APIError.unauthenticated("credentials required"))
        #expect(unauthenticated.headers[values: .wwwAuthenticate].count == 2)
    }
}
