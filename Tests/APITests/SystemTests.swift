@testable import API
import Foundation
import Hummingbird
import Stack
import Testing

extension APITests {
    /// `/healthz`, `/readyz`, `/metrics`, and what a failure looks like from outside.
    @Suite("System routes and failures")
    struct SystemTests {
        @Test("healthz answers ok; readyz checks PostgreSQL, Redis and MQTT")
        func health() async throws {
            try await TestAPI.run(seed: false) { api throws in
                let health = try await api.send(.get, "/healthz")
                #expect(health.status == .ok)
                #expect(health.json["status"].string == "ok")
                let ready = try await api.send(.get, "/readyz")
                #expect(ready.status == .ok, "\(ready)")
                #expect(ready.json["status"].string == "ready")
                #expect(ready.json["checks"].keys == ["postgres", "redis", "mqtt"])
                #expect(ready.json["checks"]["mqtt"]["status"].string == "ok")
            }
        }

        @Test("readyz is 503 naming the server that does not answer")
        func notReady() async throws {
            let closedPort = try ClosedPort.find()
            try await TestAPI.run(seed: false, mqtt: "mqtt://127.0.0.1:\(closedPort)") { api throws in
                let ready = try await api.send(.get, "/readyz")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.json["status"].string == "not_ready")
                #expect(ready.json["checks"]["mqtt"]["status"].string == "failing")
                #expect(ready.json["checks"]["postgres"]["status"].string == "ok")
            }
        }

        @Test("metrics count requests by route template and status, in Prometheus text format")
        func metrics() async throws {
            try await TestAPI.run { api throws in
                try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice))
                try await api.send(.get, "/houses/5/data", as: .user(TestAPI.Seeded.carol))
                let reply = try await api.send(.get, "/metrics")
                #expect(reply.status == .ok)
                #expect(reply.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(reply.text.contains(#"hearth_http_requests_total{method="GET",route="/houses/{id}/data",status="200"} 1"#))
                #expect(reply.text.contains(#"hearth_http_requests_total{method="GET",route="/houses/{id}/data",status="404"} 1"#))
                #expect(reply.text.contains("hearth_http_request_duration_seconds_bucket"))
                #expect(!reply.text.contains("/houses/1/"))
            }
        }

        @Test("a database failure is a 500 with an opaque id; the client sees no SQL")
        func internalErrors() async throws {
            try await TestAPI.run { api throws in
                try await api.execute("DROP TABLE appliances CASCADE")
                let reply = try await api.send(.get, "/appliances", as: .user(TestAPI.Seeded.dana))
                #expect(reply.status == .internalServerError)
                #expect(reply.errorCode == "internal_error")
                let id = try #require(reply.json["error"]["id"].string)
                #expect(id.count == 16)
                for leak in ["appliances", "SELECT", "relation", "42P01", "Postgres"] {
                    #expect(!reply.text.contains(leak), "\(leak)")
                }
            }
        }

        @Test("while Redis is down /data is 503 'unavailable' and readyz names Redis; both recover when it is back")
        func redisDown() async throws {
            let stack = try await EmbeddedStack.start(StackConfiguration(services: [.redis]))
            do {
                // live: through the real HTTP server, whose requests run on its event loops.
                try await TestAPI.run(redis: stack.endpoints.redis, live: true) { api throws in
                    try await ReadingWriter(api: api).write(house: 1, sensor: 1, kind: "fire_co", owner: 1)
                    let before = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice))
                    #expect(before.status == .ok)
                    #expect(before.json["sensors"][0]["status"].string == "fresh")

                    await stack.stop(.redis)
                    for _ in 0 ..< 3 {
                        let down = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice))
                        #expect(down.status == .serviceUnavailable)
                        #expect(down.errorCode == "unavailable")
                    }
                    let ready = try await api.send(.get, "/readyz")
                    #expect(ready.status == .serviceUnavailable)
                    #expect(ready.json["checks"]["redis"]["status"].string == "failing")

                    try await stack.restart(.redis)
                    let after = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice))
                    #expect(after.status == .ok)
                    // The test stack keeps nothing across a restart.
                    #expect(after.json["sensors"][0]["status"].string == "missing")
                    #expect(try await api.send(.get, "/readyz").status == .ok)
                }
                await stack.stop()
            } catch {
                await stack.stop()
                throw error
            }
        }

        @Test("an unknown route is a JSON 404; a wrong method is not served")
        func unknownRoutes() async throws {
            try await TestAPI.run(seed: false) { api throws in
                let missing = try await api.send(.get, "/nothing/here")
                #expect(missing.status == .notFound)
                #expect(missing.errorCode == "not_found")
                #expect(try await api.send(.put, "/houses/1", json: "{}").status.code >= 400)
            }
        }
    }
}

/// A loopback port that nothing listens on (bound, then released).
enum ClosedPort {
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw ClosedPortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct ClosedPortError: Error {}
}
