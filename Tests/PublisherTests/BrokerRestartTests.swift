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

/// The fault the issue names: the broker restarts in the middle of a run.
/// At QoS 1, with persistent sessions on both sides (hearth's Publisher and
/// hearth's Subscriber) and broker persistence on, nothing may be lost; what
/// arrives twice must be seen and counted. At QoS 0 what the publisher could
/// not send must be counted, and it must reconnect.
// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("Broker restart mid-run", .timeLimit(.minutes(3)))
struct BrokerRestartTests {
    @Test("QoS 1, persistent sessions, broker persistence: zero readings lost, duplicates counted")
    func brokerRestart() async throws {
        let run = try await runAcrossRestart(qos: 1, persistent: true) { sent, stored in stored.accepted >= sent.total }
        let report = run.report
        #expect(run.restarts == 1, "the fault hook ran at its time")
        #expect(report.drained, "every QoS 1 message was acknowledged before the end")
        #expect(report.stats.failed == 0, "QoS 1 publishes wait in libmosquitto while the broker is away")
        #expect(report.stats.scheduledSent == run.scheduledSendCount, "nothing skipped while the broker was down")

        let counters = run.counters
        let missing = run.stored.ledger.missing(from: run.sent.bySensor)
        #expect(counters.deadLettered == counters.duplicates, "nothing refused except duplicates")
        #expect(missing == run.stored.outOfOrder, "every reading not stored as latest was accepted late: zero lost")
        #expect(run.stored.ledger.distinct + run.stored.outOfOrder == run.sent.total)
        #expect(counters.duplicates == run.stored.duplicates, "duplicates are detected and counted")
        print("broker restart: sent \(run.sent.total), stored \(run.stored.ledger.distinct) + \(run.stored.outOfOrder) late, \(counters.duplicates) duplicates detected, publisher max lag \(report.stats.maxLagNanoseconds / 1_000_000) ms")
    }

    @Test("QoS 0 on hearth's own connection: readings made while the broker is away count as failed, the publisher reconnects, the rest arrive")
    func brokerRestartQoS0() async throws {
        // The last reading of every sensor went out after the reconnect; the run waits for those.
        let run = try await runAcrossRestart(qos: 0, persistent: false) { sent, stored in
            let ledger = stored.ledger
            return sent.bySensor.allSatisfy { sensor, seqs in ledger.seen[sensor]?.contains(seqs.max() ?? 0) == true }
        }
        let report = run.report
        #expect(run.restarts == 1, "the fault hook ran at its time")
        #expect(report.drained, "after the reconnect every connection's drain marker was acknowledged")
        #expect(report.stats.failed > 0, "readings made while the broker was away were counted, not sent")
        #expect(report.stats.mqttFailed == report.stats.failed)
        #expect(report.stats.scheduledSent + report.stats.failed == run.scheduledSendCount, "every scheduled reading is sent or failed")
        #expect(run.sent.total == report.stats.sent, "the observer saw exactly the readings counted as sent")
        let ledger = run.stored.ledger
        let bySensor = run.sent.bySensor
        #expect(bySensor.allSatisfy { sensor, seqs in ledger.seen[sensor]?.contains(seqs.max() ?? 0) == true },
                "the publisher reconnected: each sensor's last reading arrived")
        let storedButNotSent = ledger.seen.reduce(0) { $0 + $1.value.subtracting(bySensor[$1.key] ?? []).count }
        #expect(storedButNotSent == 0, "no reading counted as failed reached the subscriber")
        print("broker restart at QoS 0: sent \(report.stats.sent), failed \(report.stats.failed), stored \(ledger.distinct)")
    }

    /// What one run across a broker restart gave.
    private struct RestartRun {
        var report: PublisherReport
        var scheduledSendCount: Int
        var sent: SentLedger
        var stored: StoredLedger
        var restarts: Int
        var counters: SubscriberCounters
    }

    /// hearth's Publisher into hearth's Subscriber for 6 s at 800 readings/s,
    /// the broker restarted at 2 s; the subscriber runs until `arrived` holds
    /// (at most 60 s), then half a second more for late duplicates.
    /// `persistent`: persistent sessions on both sides and broker persistence.
    private func runAcrossRestart(qos: Int, persistent: Bool, arrived: @escaping (SentLedger, StoredLedger) -> Bool) async throws -> RestartRun {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 8, owners: 4, sensors: { fire_co: 1, leak: 1, motion: 1 }, mqtt_connections: 4 }",
            load: "{ rate: 800/s, duration: 6s, qos: \(qos), transport: mqtt }",
            events: "[ { at: 2s, event: broker_restart } ]"
        )
        let layout = EstateLayout(estate: scenario.estate)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-restart-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let keyring = try Keyring.provisioned(owners: layout.ownerCount, directory: scratch + "/keys")
        return try await withStack([.mqtt, .redis, .postgres], configure: { $0.mqtt.persistence = persistent }) { stack in
            let endpoints = stack.endpoints
            let pool = PostgresPool(url: endpoints.postgres!, size: 1)
            try await layout.seed(into: pool)
            await pool.close()

            var configuration = SubscriberConfiguration(
                mqttURL: endpoints.mqtt!, redisURL: endpoints.redis!, postgresURL: endpoints.postgres!, keyDirectory: scratch + "/keys"
            )
            configuration.qos = qos
            configuration.persistentSession = persistent
            configuration.mqttClientID = "restart-subscriber-\(qos)"
            configuration.stateDirectory = scratch + "/state"
            let stored = StoredLedger()
            let subscriber = Subscriber(configuration: configuration, observer: stored, logger: Logger(label: "test.subscriber"))
            let running = Task { try await subscriber.run() }
            try await subscriber.waitUntilReady()

            let sent = SentLedger()
            let restarts = RestartLog()
            let options = PublisherOptions(
                clientIDPrefix: "restart-publisher-\(qos)", cleanSession: !persistent,
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

            let deadline = Date().addingTimeInterval(60)
            while !arrived(sent, stored) && Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
            try await Task.sleep(nanoseconds: 500_000_000)  // late duplicates arrive too
            subscriber.stop()
            try await running.value
            return RestartRun(report: report, scheduledSendCount: publisher.plan.scheduledSendCount, sent: sent, stored: stored,
                              restarts: restarts.count, counters: subscriber.statistics.counters)
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
