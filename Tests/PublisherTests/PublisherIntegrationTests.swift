import Fernet
import Foundation
import Logging
import MQTT
import Postgres
import Redis
import Scenario
import SensorCatalog
import Stack
import Testing
@testable import Publisher

/// The publisher against real servers started by EmbeddedStack.
// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("Publisher against real servers", .timeLimit(.minutes(3)))
struct PublisherIntegrationTests {
    @Test("every reading arrives on its topic and decrypts with its owner's key", arguments: [0, 1])
    func mqttEndToEnd(qos: Int) async throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 6, owners: 3, sensors: { fire_co: 1, leak: 1, door_window: 1 }, mqtt_connections: 4 }",
            load: "{ rate: 1500/s, duration: 2s, qos: \(qos), transport: mqtt }"
        )
        let layout = EstateLayout(estate: scenario.estate)
        let keyring = try PublisherFixtures.keyring(owners: 3)
        try await withStack([.mqtt]) { stack in
            let receiver = try ReadingReceiver(url: stack.endpoints.mqtt!, clientID: "receiver-\(qos)", cleanSession: true, keyring: keyring, layout: layout)
            try await receiver.start(qos: MQTTQoS(rawValue: qos)!)
            let sent = SentLedger()
            let publisher = try Publisher(
                scenario: scenario, keyring: keyring, mqttURL: stack.endpoints.mqtt!,
                options: PublisherOptions(workers: 2), observer: sent
            )
            let report = try await publisher.publish()
            #expect(report.drained)
            #expect(report.workers == 2)
            #expect(report.connections == 4)
            #expect(report.stats.scheduledSent == publisher.plan.scheduledSendCount)
            #expect(report.stats.failed == 0)
            #expect(report.stats.sent == sent.total)
            await receiver.waitForDistinct(report.stats.sent, seconds: 20)
            await receiver.stop()
            let (ledger, problems) = receiver.snapshot
            #expect(problems.isEmpty, "\(problems.prefix(3))")
            #expect(ledger.missing(from: sent.bySensor) == 0)
            #expect(ledger.distinct == report.stats.sent)
            #expect(ledger.duplicates == 0)
        }
    }

    @Test("the Redis stream gets topic and token fields and stays trimmed")
    func redisStream() async throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 3, sensors: { fire_co: 1, thermostat: 1 } }",
            load: "{ rate: 1000/s, duration: 1s, qos: 0, transport: redis-stream }"
        )
        let keyring = try PublisherFixtures.keyring(owners: 3)
        try await withStack([.redis]) { stack in
            let publisher = try Publisher(
                scenario: scenario, keyring: keyring, redisURL: stack.endpoints.redis!,
                options: PublisherOptions(streamMaxLength: 200)
            )
            let report = try await publisher.publish()
            #expect(report.stats.sent == 1000)
            #expect(report.stats.streamAdded == 1000)
            #expect(report.stats.streamFailed == 0)

            let redis = try await RedisConnection.connect(url: stack.endpoints.redis!)
            let length = try await redis.command("XLEN", .text(ReadingStream.name))
            guard case .integer(let entries) = length else { Issue.record("XLEN answered \(length)"); return }
            #expect(entries >= 200 && entries < 400, "MAXLEN ~ 200 trims in whole nodes; got \(entries)")
            let last = try await redis.command("XREVRANGE", .text(ReadingStream.name), "+", "-", "COUNT", 1)
            guard case .array(let list) = last, case .array(let entry) = list.first, case .array(let fields) = entry.last else {
                Issue.record("XREVRANGE answered \(last)"); return
            }
            #expect(fields.count == 4)
            #expect(fields[0].string == ReadingStream.topicField)
            #expect(fields[2].string == ReadingStream.tokenField)
            let topic = try #require(fields[1].string)
            let parts = topic.split(separator: "/")
            let house = try #require(Int(parts[1]))
            guard case .bulk(let token) = fields[3] else { Issue.record("no token"); return }
            let plaintext = try keyring.multiFernet(forOwner: publisher.layout.owner(ofHouse: house)).decrypt(token)
            let reading = try SensorCatalog.builtIn.decode(payload: plaintext)
            #expect(topic == "houses/\(reading.houseID)/sensors/\(reading.sensorID)")
        }
    }

    @Test("the estate is seeded into PostgreSQL with the layout's ids, idempotently")
    func seeding() async throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 5, owners: 2, sensors: { fire_co: 1, door_window: 2 } }")
        let layout = EstateLayout(estate: scenario.estate)
        try await withStack([.postgres]) { stack in
            let pool = PostgresPool(url: stack.endpoints.postgres!, size: 2)
            let first = try await layout.seed(into: pool)
            #expect(first.housesInserted == 5)
            #expect(first.sensorsInserted == 15)
            let again = try await layout.seed(into: pool)
            #expect(again.sensorsInserted == 0)
            let rows = try await pool.withConnection { connection in
                try await connection.query("SELECT s.id, s.house_id, s.kind, s.name, h.owner_id FROM sensors s JOIN houses h ON h.id = s.house_id ORDER BY s.id")
            }
            #expect(rows.count == 15)
            for row in rows {
                let id = try row.decode(Int.self, column: 0)
                let sensor = try #require(layout.sensor(id: id))
                #expect(try row.decode(Int.self, column: 1) == sensor.houseID)
                #expect(try row.decode(String.self, column: 2) == sensor.kind.rawValue)
                #expect(try row.decode(String.self, column: 3) == sensor.name)
                #expect(try row.decode(Int.self, column: 4) == sensor.ownerID)
            }
            // Another estate with other owners for the same house ids is refused.
            let other = EstateLayout(estate: try PublisherFixtures.scenario(estate: "{ houses: 5, owners: 5, sensors: [leak] }").estate)
            let error = await #expect(throws: PublisherError.self) { try await other.seed(into: pool) }
            #expect(error?.code == .seedFailed)
            await pool.close()
        }
    }

    @Test("keys are created for owners that lack them and kept for those that have them")
    func keyProvisioning() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hearth-keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Keyring.provisioned(owners: 3, directory: directory)
        #expect(first.owners == [1, 2, 3])
        let second = try Keyring.provisioned(owners: 4, directory: directory)
        #expect(second.owners == [1, 2, 3, 4])
        #expect(try second.keys(forOwner: 2) == first.keys(forOwner: 2))
        let mode = try FileManager.default.attributesOfItem(atPath: Keyring.path(forOwner: 4, in: directory))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("a missing endpoint or owner key is refused before anything connects")
    func refusedConfigurations() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 2, owners: 2, sensors: [leak] }", load: "{ rate: 1/s, duration: 1s, transport: both }")
        let keyring = try PublisherFixtures.keyring(owners: 2)
        let noRedis = #expect(throws: PublisherError.self) { try Publisher(scenario: scenario, keyring: keyring, mqttURL: "mqtt://127.0.0.1:1") }
        #expect(noRedis?.code == .badConfiguration)
        let oneKey = try PublisherFixtures.keyring(owners: 1)
        let missingKey = #expect(throws: PublisherError.self) {
            try Publisher(scenario: scenario, keyring: oneKey, mqttURL: "mqtt://127.0.0.1:1", redisURL: "redis://127.0.0.1:1")
        }
        #expect(missingKey?.code == .keys)
        #expect(missingKey?.message.contains("owner 2") == true)
    }
}
