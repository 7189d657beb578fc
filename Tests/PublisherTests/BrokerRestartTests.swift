import Fernet
import Foundation
import Logging
import MQTT
import Postgres
import Scenario
import Stack
import Subscriber
import Testing
@testable import Publisher

/// The fault the issue names: the broker restarts in the middle of a QoS 1
/// run. With persistent sessions on both sides (hearth's Publisher and
/// hearth's Subscriber) and broker persistence on, nothing may be lost; what
/// arrives twice must be seen and counted.
@Suite("Broker restart mid-run")
struct BrokerRestartTests {
    @Test("QoS 1, persistent sessions, broker persistence: zero readings lost, duplicates counted")
    func brokerRestart() async throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 8, owners: 4, sensors: { fire_co: 1, leak: 1, motion: 1 }, mqtt_connections: 4 }",
            load: "{ rate: 800/s, duration: 6s, qos: 1, transport: mqtt }",
            events: "[ { at: 2s, event: broker_restart } ]"
        )
        let layout = EstateLayout(estate: scenario.estate)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: scratch + "/keys")
        try await withStack([.mqtt, .redis, .postgres], configure: { $0.mqtt.persistence = true }) { stack in
            let endpoints = stack.endpoints
            let pool = PostgresPool(url: endpoints.postgres!, size: 1)
            try await layout.seed(into: pool)
            await pool.close()

            var configuration = SubscriberConfiguration(
                mqttURL: endpoints.mqtt!, redisURL: endpoints.redis!, postgresURL: endpoints.postgres!, keyDirectory: scratch + "/keys"
            )
            configuration.qos = 1
            configuration.persistentSession = true
            configuration.mqttClientID = "restart-subscriber"
            configuration.stateDirectory = scratch + "/state"
            let stored = StoredLedger()
            let subscriber = Subscriber(configuration: configuration, observer: stored, logger: Logger(label: "test.subscriber"))
            let running = Task { try await subscriber.run() }
            await subscriber.waitUntilReady()

            let sent = SentLedger()
            let restarts = RestartLog()
            let options = PublisherOptions(
                clientIDPrefix: "restart-publisher", cleanSession: false,
                faultHandler: { event in
                    guard event.name == FaultKind.brokerRestart.rawValue else { return }
                    do {
                        try await stack.restart(.mqtt)
                        restarts.record()
                    } catch {
                        Issue.record("the broker did not come back: \(error)")
                    }
                }
            )
            let publisher = try Publisher(scenario: scenario, keyring: keyring, mqttURL: endpoints.mqtt!, options: options, observer: sent)
            let report = try await publisher.publish()

            #expect(restarts.count == 1, "the fault hook ran at its time")
            #expect(report.drained, "every QoS 1 message was acknowledged before the end")
            #expect(report.stats.failed == 0, "QoS 1 publishes wait in libmosquitto while the broker is away")
            #expect(report.stats.scheduledSent == publisher.plan.scheduledSendCount, "nothing skipped while the broker was down")

            let deadline = Date().addingTimeInterval(60)
            while stored.accepted < sent.total && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            try await Task.sleep(nanoseconds: 500_000_000)  // late duplicates arrive too
            subscriber.stop()
            try await running.value

            let counters = subscriber.statistics.counters
            let missing = stored.ledger.missing(from: sent.bySensor)
            #expect(counters.deadLettered == counters.duplicates, "nothing refused except duplicates")
            #expect(missing == stored.outOfOrder, "every reading not stored as latest was accepted late: zero lost")
            #expect(stored.ledger.distinct + stored.outOfOrder == sent.total)
            #expect(counters.duplicates == stored.duplicates, "duplicates are detected and counted")
            print("broker restart: sent \(sent.total), stored \(stored.ledger.distinct) + \(stored.outOfOrder) late, \(counters.duplicates) duplicates detected, publisher max lag \(report.stats.maxLagNanoseconds / 1_000_000) ms")
        }
    }

    @Test("QoS 0 on hearth's own connection: readings made while the broker is away count as failed, the publisher reconnects, the rest arrive")
    func brokerRestartQoS0() async throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 8, owners: 4, sensors: { fire_co: 1, leak: 1, motion: 1 }, mqtt_connections: 4 }",
            load: "{ rate: 800/s, duration: 6s, qos: 0, transport: mqtt }",
            events: "[ { at: 2s, event: broker_restart } ]"
        )
        let layout = EstateLayout(estate: scenario.estate)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-restart0-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: scratch + "/keys")
        try await withStack([.mqtt, .redis, .postgres]) { stack in
            let endpoints = stack.endpoints
            let pool = PostgresPool(url: endpoints.postgres!, size: 1)
            try await layout.seed(into: pool)
            await pool.close()

            var configuration = SubscriberConfiguration(
                mqttURL: endpoints.mqtt!, redisURL: endpoints.redis!, postgresURL: endpoints.postgres!, keyDirectory: scratch + "/keys"
            )
            configuration.qos = 0
            configuration.mqttClientID = "restart0-subscriber"
            configuration.stateDirectory = scratch + "/state"
            let stored = StoredLedger()
            let subscriber = Subscriber(configuration: configuration, observer: stored, logger: Logger(label: "test.subscriber"))
            let running = Task { try await subscriber.run() }
            await subscriber.waitUntilReady()

            let sent = SentLedger()
            let restarts = RestartLog()
            let options = PublisherOptions(
                clientIDPrefix: "restart0-publisher",
                faultHandler: { event in
                    guard event.name == FaultKind.brokerRestart.rawValue else { return }
                    do {
                        try await stack.restart(.mqtt)
                        restarts.record()
                    } catch {
                        Issue.record("the broker did not come back: \(error)")
                    }
                }
            )
            let publisher = try Publisher(scenario: scenario, keyring: keyring, mqttURL: endpoints.mqtt!, options: options, observer: sent)
            let report = try await publisher.publish()

            #expect(restarts.count == 1, "the fault hook ran at its time")
            #expect(report.drained, "after the reconnect every connection's drain marker was acknowledged")
            #expect(report.stats.failed > 0, "readings made while the broker was away were counted, not sent")
            #expect(report.stats.mqttFailed == report.stats.failed)
            #expect(report.stats.scheduledSent + report.stats.failed == publisher.plan.scheduledSendCount, "every scheduled reading is sent or failed")
            #expect(sent.total == report.stats.sent, "the observer saw exactly the readings counted as sent")

            // The last reading of every sensor went out after the reconnect; wait for those.
            let last = sent.bySensor.mapValues { $0.max() ?? 0 }
            let deadline = Date().addingTimeInterval(60)
            while last.contains(where: { stored.ledger.seen[$0.key]?.contains($0.value) != true }) && Date() < deadline {
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            subscriber.stop()
            try await running.value

            let ledger = stored.ledger
            #expect(last.allSatisfy { ledger.seen[$0.key]?.contains($0.value) == true }, "the publisher reconnected: each sensor's last reading arrived")
            let bySensor = sent.bySensor
            let storedButNotSent = ledger.seen.reduce(0) { $0 + $1.value.subtracting(bySensor[$1.key] ?? []).count }
            #expect(storedButNotSent == 0, "no reading counted as failed reached the subscriber")
            print("broker restart at QoS 0: sent \(report.stats.sent), failed \(report.stats.failed), stored \(ledger.distinct)")
        }
    }

    @Test("the ledger tells duplicates from new readings")
    func ledgerCountsDuplicates() {
        var ledger = SequenceLedger()
        for seq in [0, 1, 2, 1, 3, 3, 3] { ledger.record(sensor: 5, seq: UInt64(seq)) }
        ledger.record(sensor: 6, seq: 0)
        #expect(ledger.distinct == 5)
        #expect(ledger.duplicates == 3)
        #expect(ledger.missing(from: [5: [0, 1, 2, 3, 4], 6: [0], 7: [0, 1]]) == 3)
    }
}

/// What hearth's Subscriber stored, by sensor and seq, with its own counts of
/// duplicates and late readings.
private final class StoredLedger: SubscriberObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var storedLedger = SequenceLedger()
    private var late = 0
    private var repeated = 0

    func subscriberDidStore(_ batch: StoredBatch) {
        lock.withLock {
            for reading in batch.readings { storedLedger.record(sensor: reading.sensorID, seq: reading.seq) }
            late += batch.outOfOrder
            repeated += batch.duplicates
        }
    }

    var ledger: SequenceLedger { lock.withLock { storedLedger } }
    var outOfOrder: Int { lock.withLock { late } }
    var duplicates: Int { lock.withLock { repeated } }
    var accepted: Int { lock.withLock { storedLedger.distinct + late } }
}

/// How often the fault hook restarted the broker.
private final class RestartLog: @unchecked Sendable {
    private let lock = NSLock()
    private var restarts = 0

    func record() { lock.withLock { restarts += 1 } }
    var count: Int { lock.withLock { restarts } }
}
