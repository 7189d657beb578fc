import Fernet
import Foundation
import MQTT
import Redis
import Schema
import SensorKit
@testable import Subscriber
import Testing

/// The happy paths against real servers: MQTT and Redis Streams in, Redis,
/// PostgreSQL and MQTT out.
// Each test waits for messages without a deadline of its own: a lost one
// would hold the whole run, so the limit cancels the wait and fails the test.
@Suite("Subscriber stores readings", .serialized, .timeLimit(.minutes(3)))
struct StorageTests {
    @Test("MQTT readings become latest tokens with the TTL; alarms are recorded once and announced")
    func mqttToRedisAndAlarms() async throws {
        try await SubscriberFixture.with { fixture in
            let listener = try MQTTClient(MQTTConfiguration(url: fixture.stack.endpoints.mqtt!, clientID: "test-alarm-listener"))
            try await listener.connect()
            try await listener.subscribe("houses/+/alarms", qos: .atLeastOnce)
            let observer = CollectingObserver()
            try await fixture.withSubscriber(fixture.configuration(), observer: observer) { running in
                let tokens = [fixture.token(house: 1, sensor: 11, seq: 0), fixture.token(house: 1, sensor: 11, seq: 1, burning: true),
                              fixture.token(house: 1, sensor: 11, seq: 2)]
                for token in tokens { try await fixture.publish(token, house: 1, sensor: 11) }
                try await eventually("all three are stored") { running.statistics.counters.stored == 3 }
                #expect(try await fixture.latest(house: 1, sensor: 11) == tokens[2])
                let ttl = try await fixture.redis.ttl(TopicAddress(houseID: 1, sensorID: 11).latestKey) ?? 0
                #expect((3590...3600).contains(ttl))
                // What the harness sees: each stored reading with its send time, and when it was received and stored.
                let stored = observer.batches.flatMap { batch in batch.readings.map { (batch, $0) } }
                #expect(stored.map(\.1.seq) == [0, 1, 2])
                #expect(stored.allSatisfy { batch, reading in
                    reading.sentAtNanoseconds <= batch.receivedAtNanoseconds && batch.receivedAtNanoseconds <= batch.storedAtNanoseconds
                        && batch.transport == .mqtt && reading.houseID == 1 && reading.sensorID == 11
                })

                try await eventually("four transitions are in PostgreSQL") { running.statistics.counters.alarmsWritten == 4 }
                let rows = try await fixture.pool.withConnection { connection in
                    try await connection.query("SELECT alarm, state, seq FROM alarms WHERE sensor_id = \(11) ORDER BY seq, alarm")
                        .map { "\(try $0.decode(String.self, column: 0)) \(try $0.decode(String.self, column: 1)) \(try $0.decode(Int.self, column: 2))" }
                }
                #expect(rows == ["co raised 1", "smoke raised 1", "co cleared 2", "smoke cleared 2"])

                var announcements: [String] = []
                for await message in listener.messages {
                    announcements.append(String(decoding: message.payload, as: UTF8.self))
                    if announcements.count == 4 { break }
                }
                #expect(announcements.allSatisfy { $0.contains(#""house_id":1,"sensor_id":11,"kind":"fire_co""#) })
                #expect(announcements.filter { $0.contains(#""state":"raised","seq":1"#) }.count == 2)

                let counters = running.statistics.counters
                #expect(counters.received == 3 && counters.alarmsRaised == 2 && counters.alarmsCleared == 2 && counters.deadLettered == 0)
                try await running.stop()
                await listener.disconnect()
            }
        }
    }

    @Test("Redis Stream entries are stored, acknowledged and kept as history; a reading sent over both transports counts once")
    func streamWithHistory() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration {
                $0.transport = .both
                $0.history = true
                $0.historyFlushInterval = .milliseconds(100)
            }) { running in
                let first = fixture.token(house: 1, sensor: 12, seq: 0)
                let second = fixture.token(house: 2, sensor: 21, seq: 0)
                _ = try await fixture.redis.xadd("hearth:readings", fields: [("topic", Array("houses/1/sensors/12".utf8)), ("token", first)])
                _ = try await fixture.redis.xadd("hearth:readings", fields: [("house", Array("2".utf8)), ("sensor", Array("21".utf8)), ("token", second)])
                try await fixture.publish(first, house: 1, sensor: 12)

                try await eventually("both readings are stored and the repeat refused") {
                    let counters = running.statistics.counters
                    return counters.stored == 2 && counters.duplicates == 1
                }
                #expect(try await fixture.latest(house: 1, sensor: 12) == first)
                #expect(try await fixture.latest(house: 2, sensor: 21) == second)
                try await eventually("the stream has nothing pending") {
                    let pending = try await fixture.redis.command("XPENDING", "hearth:readings", "hearth")
                    return pending.array?.first?.integer == 0
                }
                try await eventually("history holds both tokens") {
                    try await fixture.count("SELECT count(*) FROM readings WHERE token IN (\(String(decoding: first, as: UTF8.self)), \(String(decoding: second, as: UTF8.self)))") == 2
                }
            }
        }
    }

    @Test("a token made under a key rotated a moment ago is stored at once, not refused as bad_hmac; a forged one still is")
    func freshlyRotatedKey() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration()) { running in
                // Rotate and publish at once, well inside the watcher's 1 s poll,
                // five times over so a lucky poll cannot hide a refusal.
                for seq in 0..<5 {
                    _ = try Keyring.rotateKeyFile(forOwner: 1, in: fixture.keyDirectory)
                    let rotated = try Keyring.load(directory: fixture.keyDirectory)
                    let token = TestReadings.token(TestReadings.fireCO(house: 1, sensor: 11, seq: UInt64(seq)), keys: rotated, owner: 1)
                    try await fixture.publish(token, house: 1, sensor: 11)
                    try await eventually("seq \(seq) under the new key is stored", timeout: .seconds(5)) {
                        try await fixture.latest(house: 1, sensor: 11) == token
                    }
                }
                let stranger = Keyring(keysByOwner: [1: [try FernetKey.generate()]])
                try await fixture.publish(TestReadings.token(TestReadings.fireCO(house: 1, sensor: 11, seq: 9), keys: stranger, owner: 1),
                                          house: 1, sensor: 11)
                try await eventually("the forged token is refused") { running.statistics.counters.deadLetters[.badHMAC] == 1 }
                #expect(running.statistics.counters.stored == 5)
            }
        }
    }

    @Test("a new owner's key file and a rotated key are picked up while running; older keys still open")
    func keysAndEstateChangeWhileRunning() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration()) { running in
                // A house and sensor added after start-up, whose owner has no key yet.
                try await Schema.seedEstate(fixture.pool, houses: [(id: 3, ownerID: 3)],
                                            sensors: [(id: 31, houseID: 3, kind: "fire_co", name: "New")], owners: [3])
                let ownerThreeKey = Keyring(keysByOwner: [3: [try FernetKey.generate()]])
                let early = TestReadings.token(TestReadings.fireCO(house: 3, sensor: 31, seq: 0), keys: ownerThreeKey, owner: 3)
                try await fixture.publish(early, house: 3, sensor: 31)
                try await eventually("refused for want of a key") { running.statistics.counters.deadLetters[.noKey] == 1 }

                _ = try Keyring.generateKeyFile(forOwner: 3, in: fixture.keyDirectory)
                let ownerThree = try Keyring.load(directory: fixture.keyDirectory)
                let beforeRotation = fixture.token(house: 1, sensor: 11, seq: 0)
                _ = try Keyring.rotateKeyFile(forOwner: 1, in: fixture.keyDirectory)
                let rotated = try Keyring.load(directory: fixture.keyDirectory)
                let afterRotation = TestReadings.token(TestReadings.fireCO(house: 1, sensor: 11, seq: 1), keys: rotated, owner: 1)
                let newOwner = TestReadings.token(TestReadings.fireCO(house: 3, sensor: 31, seq: 1), keys: ownerThree, owner: 3)
                try await eventually("the new keys are loaded", timeout: .seconds(10)) {
                    try await fixture.publish(newOwner, house: 3, sensor: 31)
                    return try await fixture.latest(house: 3, sensor: 31) == newOwner
                }
                try await fixture.publish(beforeRotation, house: 1, sensor: 11)
                try await fixture.publish(afterRotation, house: 1, sensor: 11)
                try await eventually("both keys of owner 1 open tokens") { try await fixture.latest(house: 1, sensor: 11) == afterRotation }
                #expect(running.statistics.counters.deadLetters[.badHMAC] == nil)
            }
        }
    }
}
