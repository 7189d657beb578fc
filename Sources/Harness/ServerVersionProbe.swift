import BlockingIO
import Foundation
import MQTT
import Postgres
import Redis
import Reports

/// Asks each server which version it is, for the report: Redis's
/// `redis_version` (INFO server), mosquitto's retained `$SYS/broker/version`,
/// PostgreSQL's `server_version`. Figures from different server versions are
/// not comparable, and `hearth report compare` warns when they differ.
public enum ServerVersionProbe {
    /// Each server that does not answer within `timeout` is left out rather
    /// than failing the run: the version is context, not a measurement.
    public static func probe(redis: String?, mqtt: String?, postgres: String?, timeout: Duration = .seconds(3)) async -> SoftwareVersions {
        async let redisVersion = ask(redis, within: timeout, Self.redisVersion)
        async let mqttVersion = ask(mqtt, within: timeout, Self.mosquittoVersion)
        async let postgresVersion = ask(postgres, within: timeout, Self.postgresVersion)
        return await SoftwareVersions(redis: redisVersion, mosquitto: mqttVersion, postgres: postgresVersion)
    }

    static func redisVersion(_ url: String) async throws -> String? {
        let connection = try await RedisConnection.connect(url: url)
        let version = try await connection.info("server")["redis_version"]
        await connection.close()
        return version
    }

    /// mosquitto publishes its version as a retained `$SYS` message, so it
    /// arrives as soon as the subscription is made; other brokers may not.
    static func mosquittoVersion(_ url: String) async throws -> String? {
        let client = try MQTTClient(MQTTConfiguration(url: url, clientID: "hearth-version-\(getpid())-\(UInt32.random(in: 0 ... .max))"))
        try await client.connect()
        try await client.subscribe("$SYS/broker/version")
        var version: String?
        for await message in client.messages {
            version = String(decoding: message.payload, as: UTF8.self)
            break
        }
        await client.disconnect()
        return version.map { $0.replacingOccurrences(of: "mosquitto version ", with: "") }
    }

    static func postgresVersion(_ url: String) async throws -> String? {
        let connection = try await PostgresConnection.connect(url: url)
        let rows = try await connection.query("SHOW server_version")
        let version = try rows.first?.decode(String.self, column: 0)
        await connection.close()
        return version
    }

    /// The probe's answer, or nil without a URL, on an error, or after
    /// `timeout`. The probe runs in its own task so that a server that hangs
    /// (a blocking connect, a command that waits for its reply) cannot hold
    /// the run up past the timeout; it ends on its client's own time-outs.
    static func ask(_ url: String?, within timeout: Duration, _ probe: @escaping @Sendable (String) async throws -> String?) async -> String? {
        guard let url else { return nil }
        let answer = FirstAnswer()
        return await withCheckedContinuation { continuation in
            answer.wait(with: continuation)
            Task { answer.give((try? await probe(url)) ?? nil) }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give(nil)
            }
        }
    }
}

/// Resumes a continuation with the first answer given; later ones are dropped.
private final class FirstAnswer: @unchecked Sendable {
    private let lock = Mutex()
    private var continuation: CheckedContinuation<String?, Never>?

    func wait(with continuation: CheckedContinuation<String?, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func give(_ value: String?) {
        let waiting = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: value)
    }
}
