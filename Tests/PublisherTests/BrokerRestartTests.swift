import Foundation
import MQTT
import Scenario
import Stack
import Testing
@testable import Publisher

/// The fault the issue names: the broker restarts in the middle of a QoS 1
/// run. With persistent sessions on both sides and broker persistence on,
/// nothing may be lost; what arrives twice must be seen and counted.
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
        let keyring = try PublisherFixtures.keyring(owners: 4)
        try await withStack([.mqtt], configure: { $0.mqtt.persistence = true }) { stack in
            let url = stack.endpoints.mqtt!
            let receiver = try ReadingReceiver(url: url, clientID: "restart-receiver", cleanSession: false, keyring: keyring, layout: layout)
            try await receiver.start(qos: .atLeastOnce)
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
            let publisher = try Publisher(scenario: scenario, keyring: keyring, mqttURL: url, options: options, observer: sent)
            let report = try await publisher.publish()

            #expect(restarts.count == 1, "the fault hook ran at its time")
            #expect(report.drained, "every QoS 1 message was acknowledged before the end")
            #expect(report.stats.failed == 0, "QoS 1 publishes wait in libmosquitto while the broker is away")
            #expect(report.stats.scheduledSent == publisher.plan.scheduledSendCount, "nothing skipped while the broker was down")
            #expect(report.stats.maxLatenessNanoseconds > 0)

            await receiver.waitForDistinct(report.stats.sent, seconds: 60)
            await receiver.stop()
            let (ledger, problems) = receiver.snapshot
            #expect(problems.isEmpty, "\(problems.prefix(3))")
            #expect(ledger.missing(from: sent.bySensor) == 0, "zero readings lost")
            #expect(ledger.distinct == sent.total)
            print("broker restart: sent \(sent.total), received \(ledger.distinct) distinct, \(ledger.duplicates) duplicates, max lag \(report.stats.maxLatenessNanoseconds / 1_000_000) ms")
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

/// How often the fault hook restarted the broker.
private final class RestartLog: @unchecked Sendable {
    private let lock = NSLock()
    private var restarts = 0

    func record() { lock.withLock { restarts += 1 } }
    var count: Int { lock.withLock { restarts } }
}
