import BlockingIO
import Fernet
import Foundation
import Logging
import MQTT
import Postgres
import Redis
import Schema
import ServiceLifecycle
import Stack
@testable import Subscriber

/// A real stack (mosquitto, Redis, PostgreSQL on free ports), a seeded
/// estate, owner key files in a temporary folder, and clients to publish and
/// to look at what the subscriber stored. Always torn down.
///
/// Estate: owner 1 owns house 1 (sensors 11, 12 and `extraSensors` more from
/// 100 on, all fire/CO); owner 2 owns house 2 (sensor 21).
struct SubscriberFixture: Sendable {
    let stack: EmbeddedStack
    let keyDirectory: String
    let stateDirectory: String
    let keys: Keyring
    let pool: PostgresPool
    let redis: RedisConnection
    let publisher: MQTTClient

    static func with<T>(
        extraSensors: Int = 0,
        _ body: (SubscriberFixture) async throws -> T
    ) async throws -> T {
        let stack = try await EmbeddedStack.start(StackConfiguration())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-subscriber-\(UUID().uuidString)").path
        let fixture: SubscriberFixture
        do {
            fixture = try await open(stack: stack, folder: folder, extraSensors: extraSensors)
        } catch {
            await stack.stop()
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        do {
            let result = try await body(fixture)
            await fixture.close(folder: folder)
            return result
        } catch {
            await fixture.close(folder: folder)
            throw error
        }
    }

    private static func open(stack: EmbeddedStack, folder: String, extraSensors: Int) async throws -> SubscriberFixture {
        let keyDirectory = folder + "/keys"
        try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
        for owner in [1, 2] { _ = try Keyring.generateKeyFile(forOwner: owner, in: keyDirectory) }
        let pool = PostgresPool(url: stack.endpoints.postgres!, size: 2)
        try await Schema.migrate(pool)
        let sensors = [(id: 11, houseID: 1, kind: "fire_co", name: "Kitchen"), (id: 12, houseID: 1, kind: "fire_co", name: "Hall"),
                       (id: 21, houseID: 2, kind: "fire_co", name: "Flat")]
            + (0..<extraSensors).map { (id: 100 + $0, houseID: 1, kind: "fire_co", name: "Extra \($0)") }
        try await Schema.seedEstate(pool, houses: [(id: 1, ownerID: 1), (id: 2, ownerID: 2)], sensors: sensors, owners: [1, 2])
        let publisher = try MQTTClient(MQTTConfiguration(url: stack.endpoints.mqtt!, clientID: "test-publisher-\(UUID().uuidString)"))
        try await publisher.connect()
        return SubscriberFixture(
            stack: stack, keyDirectory: keyDirectory, stateDirectory: folder + "/state", keys: try Keyring.load(directory: keyDirectory),
            pool: pool, redis: try await RedisConnection.connect(url: stack.endpoints.redis!), publisher: publisher
        )
    }

    private func close(folder: String) async {
        await publisher.disconnect()
        await redis.close()
        await pool.close()
        await stack.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// The subscriber's configuration for this stack, quick to poll.
    func configuration(_ configure: (inout SubscriberConfiguration) -> Void = { _ in }) -> SubscriberConfiguration {
        var configuration = SubscriberConfiguration(
            mqttURL: stack.endpoints.mqtt!, redisURL: stack.endpoints.redis!, postgresURL: stack.endpoints.postgres!, keyDirectory: keyDirectory
        )
        configuration.stateDirectory = stateDirectory
        configuration.mqttClientID = "test-subscriber-\(UUID().uuidString)"
        configuration.estatePollInterval = .milliseconds(200)
        configure(&configuration)
        return configuration
    }

    /// Publishes a token at QoS 1 and waits for the broker's PUBACK.
    func publish(_ token: [UInt8], house: Int, sensor: Int) async throws {
        try await publisher.publish(topic: "houses/\(house)/sensors/\(sensor)", payload: token, qos: .atLeastOnce)
    }

    /// A valid fire/CO token of house 1 or 2 under its owner's key.
    func token(house: Int, sensor: Int, seq: UInt64, burning: Bool = false) -> [UInt8] {
        TestReadings.token(TestReadings.fireCO(house: house, sensor: sensor, seq: seq, burning: burning), keys: keys, owner: house)
    }

    /// The latest token in Redis. The tests restart servers, so a command
    /// that meets the broken connection is sent once more (the client reconnects).
    func latest(house: Int, sensor: Int) async throws -> [UInt8]? {
        let key = TopicAddress(houseID: house, sensorID: sensor).latestKey
        do {
            return try await redis.get(key)
        } catch let error as RedisError where error.code == .connectionLost {
            return try await redis.get(key)
        }
    }

    /// A `count(*)`, sent once more if it met a connection broken by a restart.
    func count(_ query: PostgresQuery) async throws -> Int {
        do {
            return try await pool.withConnection { try await $0.query(query)[0].decode(Int.self, column: 0) }
        } catch let error as PostgresError where error.code == .connectionClosed {
            return try await pool.withConnection { try await $0.query(query)[0].decode(Int.self, column: 0) }
        }
    }

    /// Runs a subscriber for `body` and always stops it, also when `body` throws.
    func withSubscriber<T>(
        _ configuration: SubscriberConfiguration,
        observer: (any SubscriberObserver)? = nil,
        _ body: (RunningSubscriber) async throws -> T
    ) async throws -> T {
        let running = try await RunningSubscriber(configuration, observer: observer)
        do {
            let result = try await body(running)
            try await running.stop()
            return result
        } catch {
            try? await running.stop()
            throw error
        }
    }
}

/// A subscriber running in a ServiceGroup, as `hearth subscribe` runs it.
final class RunningSubscriber: Sendable {
    let subscriber: Subscriber
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let finished = FinishedFlag()

    init(_ configuration: SubscriberConfiguration, observer: (any SubscriberObserver)? = nil) async throws {
        var logger = Logger(label: "test.subscriber")
        logger.logLevel = .notice
        subscriber = Subscriber(configuration: configuration, observer: observer, logger: logger)
        group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [subscriber], logger: logger))
        let group = group
        let finished = finished
        task = Task {
            defer { finished.set() }
            try await group.run()
        }
        try await eventually("the subscriber is ready", timeout: .seconds(30)) { subscriber.isReady || finished.isSet }
        if !subscriber.isReady { try await task.value }
    }

    var statistics: SubscriberStatistics { subscriber.statistics }

    /// SIGTERM's path: graceful shutdown, then the run's result. Safe to call twice.
    func stop() async throws {
        if !finished.isSet { await group.triggerGracefulShutdown() }
        try await task.value
    }
}

private final class FinishedFlag: @unchecked Sendable {
    private let lock = Mutex()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `condition` every 20 ms until it holds; throws after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw TimedOut(description: "timed out after \(timeout) waiting until \(what)")
}

/// Keeps every stored batch the subscriber reports, for the harness's view of timings.
final class CollectingObserver: SubscriberObserver, @unchecked Sendable {
    private let lock = Mutex()
    private var collected: [StoredBatch] = []

    func subscriberDidStore(_ batch: StoredBatch) {
        lock.withLock { collected.append(batch) }
    }

    var batches: [StoredBatch] { lock.withLock { collected } }
}
