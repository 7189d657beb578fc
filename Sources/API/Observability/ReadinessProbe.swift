import Postgres
import RedisNIO

/// `/readyz`: whether the API can serve, checked against each server it
/// needs, each check bounded by ``timeout`` so a hung server gives a quick
/// "not ready" instead of a hung probe.
struct ReadinessProbe: Sendable {
    static let timeout: Duration = .seconds(2)

    let database: PostgresPool
    let redis: RedisLoopConnections
    let mqtt: MQTTProbe?

    func check() async -> Readiness {
        async let postgres = problem { [database] in
            _ = try await database.withConnection { try await $0.query("SELECT 1") }
            return nil
        }
        async let redisProblem = problem { [redis] in
            try await redis.connection().ping() ? nil : "PING was not answered with PONG"
        }
        async let mqttProblem = problem { [mqtt] in await mqtt?.problem() }
        var checks = ["postgres": Readiness.Check(problem: await postgres), "redis": Readiness.Check(problem: await redisProblem)]
        if mqtt != nil { checks["mqtt"] = Readiness.Check(problem: await mqttProblem) }
        return Readiness(checks: checks)
    }

    private func problem(_ body: @escaping @Sendable () async throws -> String?) async -> String? {
        do {
            return try await withDeadline(Self.timeout, body)
        } catch {
            return "\(error)"
        }
    }
}

/// The body of `/readyz`: overall status and each server's check.
struct Readiness: Encodable, Sendable {
    struct Check: Encodable, Sendable {
        var status: String
        var error: String?

        init(problem: String?) {
            status = problem == nil ? "ok" : "failing"
            error = problem
        }
    }

    var status: String
    var checks: [String: Check]

    init(checks: [String: Check]) {
        self.checks = checks
        status = checks.values.allSatisfy { $0.error == nil } ? "ready" : "not_ready"
    }

    var isReady: Bool { status == "ready" }
}
