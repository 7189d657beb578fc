import Foundation
import Postgres
import Redis
import Schema
import Stack
import Testing

/// The real servers behind every API test: one embedded stack (PostgreSQL,
/// Redis, Mosquitto) for the whole run, started by ``EmbeddedServersTrait``.
///
/// Tests stay independent on it: each gets a database of its own, copied
/// from a migrated template (fast: a file copy, not a migration), and a
/// Redis database number of its own, so one test's keys, rows and deletes
/// never meet another's while they run in parallel.
final class TestServers: Sendable {
    @TaskLocal static var current: TestServers?

    let stack: EmbeddedStack
    let redisDatabases = RedisDatabaseLease()
    private static let template = "api_template"
    private let counter = Counter()

    private init(stack: EmbeddedStack) {
        self.stack = stack
    }

    static func start() async throws -> TestServers {
        var configuration = StackConfiguration(services: Set(StackService.allCases))
        // 16 tests at once, each with a small pool and a few direct connections.
        configuration.postgres.maxConnections = 300
        let stack = try await EmbeddedStack.start(configuration)
        let servers = TestServers(stack: stack)
        do {
            try await servers.admin { try await $0.execute("CREATE DATABASE \(identifier: template)") }
            let connection = try await PostgresConnection.connect(url: servers.url(database: template))
            try await Schema.migrate(connection)
            await connection.close()
        } catch {
            await stack.stop()
            throw error
        }
        return servers
    }

    func stop() async {
        await stack.stop()
    }

    var mqttURL: String { stack.endpoints.mqtt! }

    func redisURL(database: Int) -> String { "\(stack.endpoints.redis!)/\(database)" }

    /// A new, migrated, empty database; its URL.
    func makeDatabase() async throws -> (name: String, url: String) {
        let name = "api_test_\(await counter.next())"
        try await admin { try await $0.execute("CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: Self.template)") }
        return (name, url(database: name))
    }

    /// Drops a test's database, closing whatever still holds it.
    func dropDatabase(_ name: String) async {
        _ = try? await admin { try await $0.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
    }

    func url(database: String) -> String {
        let base = stack.endpoints.postgres!
        return base[..<base.lastIndex(of: "/")!] + "/" + database
    }

    @discardableResult
    private func admin<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(url: stack.endpoints.postgres!)
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    private actor Counter {
        private var value = 0
        func next() -> Int {
            value += 1
            return value
        }
    }
}

/// Hands out Redis's 16 numbered databases one test at a time; a test that
/// finds none free waits for one.
actor RedisDatabaseLease {
    private var free = Array(0 ..< 16)
    private var waiters: [CheckedContinuation<Int, Never>] = []

    func acquire() async -> Int {
        if let database = free.popLast() { return database }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ database: Int) {
        if waiters.isEmpty { free.append(database) } else { waiters.removeFirst().resume(returning: database) }
    }
}

/// Starts ``TestServers`` once around the suite it is attached to.
struct EmbeddedServersTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        if TestServers.current != nil { return try await function() }
        let servers = try await TestServers.start()
        do {
            try await TestServers.$current.withValue(servers) { try await function() }
        } catch {
            await servers.stop()
            throw error
        }
        await servers.stop()
    }
}

extension Trait where Self == EmbeddedServersTrait {
    /// Runs the suite against one embedded stack.
    static var embeddedServers: Self { Self() }
}

/// Every API test that needs servers lives in a suite nested in this one,
/// so the stack starts once for all of them.
@Suite(.embeddedServers)
struct APITests {}
