import Fernet
import Foundation
import MQTT
import Redis
import SensorKit
import Stack
@testable import Subscriber
import Testing

/// The faults of the issue, each against real servers.
@Suite("Subscriber survives faults", .serialized)
struct FaultTests {
    @Test("Redis restarts mid-run: every reading is stored once Redis is back, none is lost")
    func redisRestart() async throws {
        let sensors = 20, rounds = 30
        try await SubscriberFixture.with(extraSensors: sensors) { fixture in
            try await fixture.withSubscriber(fixture.configuration()) { running in
                var last: [Int: [UInt8]] = [:]
                var restart: Task<Void, any Error>?
                for round in 0..<rounds {
                    if round == 10 { restart = Task { try await fixture.stack.restart(.redis) } }
                    for sensor in 100..<(100 + sensors) {
                        let token = fixture.token(house: 1, sensor: sensor, seq: UInt64(round))
                        try fixture.publisher.publishWithoutWaiting(topic: "houses/1/sensors/\(sensor)", payload: token, qos: .atLeastOnce)
                        last[sensor] = token
                    }
                    await fixture.publisher.waitForWindow(atMost: 0)
                    try await Task.sleep(for: .milliseconds(30))
                }
                try await restart?.value
                try await eventually("every reading is stored", timeout: .seconds(60)) {
                    running.statistics.counters.stored == sensors * rounds
                }
                for (sensor, token) in last {
                    #expect(try await fixture.latest(house: 1, sensor: sensor) == token, "sensor \(sensor)")
                }
                let counters = running.statistics.counters
                #expect(counters.redisRetries > 0, "the outage was not hit; the test proves nothing")
                #expect(counters.received == sensors * rounds && counters.deadLettered == 0)
            }
        }
    }

    @Test("Redis answers OOM (noeviction, full): the subscriber holds the readings and stores them when there is room")
    func redisOutOfMemory() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration()) { running in
                try await fixture.redis.configSet("maxmemory-policy", "noeviction")
                try await fixture.redis.configSet("maxmemory", "1")
                let tokens = (0..<10).map { fixture.token(house: 1, sensor: 11, seq: UInt64($0)) }
                for token in tokens { try await fixture.publish(token, house: 1, sensor: 11) }
                try await eventually("Redis refuses with OOM") { running.statistics.counters.redisRetries >= 3 }
                #expect(running.statistics.counters.stored == 0)
                try await fixture.redis.configSet("maxmemory", "0")
                try await eventually("the held readings are stored") { running.statistics.counters.stored == 10 }
                #expect(try await fixture.latest(house: 1, sensor: 11) == tokens[9])
                #expect(running.statistics.counters.deadLettered == 0)
            }
        }
    }

    @Test("PostgreSQL stops for 10 s during a fire alarm: the alarm is written once it returns, exactly once")
    func postgresOutageDuringFire() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration()) { running in
                try await fixture.publish(fixture.token(house: 1, sensor: 11, seq: 0), house: 1, sensor: 11)
                try await eventually("the calm reading is stored") { running.statistics.counters.stored == 1 }

                await fixture.stack.stop(.postgres)
                let outage = ContinuousClock.now
                let fire = fixture.token(house: 1, sensor: 11, seq: 1, burning: true)
                try await fixture.publish(fire, house: 1, sensor: 11)
                try await eventually("the alarm waits in the spool") { running.statistics.counters.alarmsSpooled == 2 }
                // Redis must not wait for PostgreSQL. The spool and the Redis write
                // happen in the same batch but in no fixed order, so wait for both.
                try await eventually("the fire reading is the latest in Redis while PostgreSQL is down", timeout: .seconds(5)) {
                    try await fixture.latest(house: 1, sensor: 11) == fire
                }
                let spool = try String(contentsOfFile: fixture.stateDirectory + "/alarm-spool.jsonl", encoding: .utf8)
                #expect(spool.split(separator: "\n").count == 2)
                // The same fire reading again (a QoS 1 redelivery) must not make a second alarm.
                try await fixture.publish(fire, house: 1, sensor: 11)
                try await eventually("the repeat is refused") { running.statistics.counters.duplicates == 1 }
                try await Task.sleep(until: outage + .seconds(10))

                try await fixture.stack.restart(.postgres)
                try await eventually("the alarm is written", timeout: .seconds(30)) { running.statistics.counters.alarmsSpooled == 0 }
                try await Task.sleep(for: .seconds(1))
                #expect(try await fixture.count("SELECT count(*) FROM alarms WHERE sensor_id = \(11) AND state = \("raised") AND seq = \(1)") == 2)
                #expect(try await fixture.count("SELECT count(*) FROM alarms") == 2)
                #expect(try String(contentsOfFile: fixture.stateDirectory + "/alarm-spool.jsonl", encoding: .utf8).isEmpty)
            }
        }
    }

    @Test("a second run against the same database records its alarms again, though its seq starts at 0 anew")
    func rerunRecordsAlarmsAgain() async throws {
        try await SubscriberFixture.with { fixture in
            for run in 1...2 {
                try await fixture.withSubscriber(fixture.configuration()) { running in
                    try await fixture.publish(fixture.token(house: 1, sensor: 11, seq: 0), house: 1, sensor: 11)
                    try await fixture.publish(fixture.token(house: 1, sensor: 11, seq: 1, burning: true), house: 1, sensor: 11)
                    try await eventually("run \(run)'s fire is recorded") {
                        try await fixture.count("SELECT count(*) FROM alarms WHERE state = \("raised") AND seq = \(1)") == 2 * run
                    }
                }
                try await Task.sleep(for: .milliseconds(5))  // a later reading time for the next run
            }
        }
    }

    @Test("a spool left by an earlier run is written at start, once, and its alarms count as active")
    func spoolFromEarlierRun() async throws {
        try await SubscriberFixture.with { fixture in
            let raised = ["co", "smoke"].map {
                AlarmTransition(houseID: 1, sensorID: 11, kind: .fireCO, alarm: $0, state: .raised, seq: 4, occurredAt: TestReadings.now())
            }
            var lines = raised.flatMap { $0.json + [UInt8(ascii: "\n")] }
            lines += raised[0].json + [UInt8(ascii: "\n")]           // written twice before a crash
            lines += raised[1].json.prefix(20)                       // torn by the crash
            try FileManager.default.createDirectory(atPath: fixture.stateDirectory, withIntermediateDirectories: true)
            try Data(lines).write(to: URL(fileURLWithPath: fixture.stateDirectory + "/alarm-spool.jsonl"))

            try await fixture.withSubscriber(fixture.configuration()) { running in
                try await eventually("the spool is written") { try await fixture.count("SELECT count(*) FROM alarms") == 2 }
                // The fire is out: the first calm reading after the restart clears both alarms.
                try await fixture.publish(fixture.token(house: 1, sensor: 11, seq: 5), house: 1, sensor: 11)
                try await eventually("both alarms are cleared") {
                    try await fixture.count("SELECT count(*) FROM alarms WHERE state = \("cleared") AND seq = \(5)") == 2
                }
                #expect(running.statistics.counters.alarmsRaised == 0)
            }
        }
    }

    @Test("bad input is dead-lettered by reason, nothing of it is stored, and the subscriber keeps going")
    func badInput() async throws {
        try await SubscriberFixture.with { fixture in
            try await fixture.withSubscriber(fixture.configuration { $0.deadLetterSamples = 50 }) { running in
                let good = TestReadings.fireCO(house: 1, sensor: 11, seq: 0)
                var tampered = TestReadings.token(good, keys: fixture.keys, owner: 1)
                tampered[70] = tampered[70] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                let owner1 = try fixture.keys.keys(forOwner: 1)
                let expired = try MultiFernet(keys: owner1, clock: .fixed(at: FernetClock.system.now() - 3600)).encrypt(TestReadings.payload(good))
                let notUTF8 = try fixture.keys.multiFernet(forOwner: 1).encrypt([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])
                let otherSensor = TestReadings.token(TestReadings.fireCO(house: 1, sensor: 12, seq: 0), keys: fixture.keys, owner: 1)
                let bad: [(payload: [UInt8], reason: DeadLetterReason)] = [
                    (tampered, .badHMAC),
                    (TestReadings.token(good, keys: fixture.keys, owner: 2), .badHMAC),
                    (expired, .expired),
                    ((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, .badBase64),
                    ([UInt8](repeating: UInt8(ascii: "A"), count: 1 << 20), .tooLarge),
                    (notUTF8, .invalidUTF8),
                    (otherSensor, .topicMismatch),
                ]
                for item in bad { try await fixture.publish(item.payload, house: 1, sensor: 11) }
                let valid = TestReadings.token(good, keys: fixture.keys, owner: 1)
                try await fixture.publish(valid, house: 1, sensor: 11)

                try await eventually("the valid reading after them is stored") { running.statistics.counters.stored == 1 }
                let counters = running.statistics.counters
                #expect(counters.received == bad.count + 1)
                #expect(counters.deadLetters == Dictionary(bad.map { ($0.reason, 1) }, uniquingKeysWith: +))
                #expect(try await fixture.latest(house: 1, sensor: 11) == valid)
                #expect(try await fixture.latest(house: 1, sensor: 12) == nil)
                let samples = running.statistics.deadLetterSamples
                // Sorted: a bad HMAC is judged again after a look at the key
                // folder, so within a batch its sample follows the others.
                #expect(samples.map(\.reason).sorted() == bad.map(\.reason).sorted())
                #expect(samples.allSatisfy { $0.topic == "houses/1/sensors/11" && !$0.description.contains("co_detection") })
                #expect(samples.first { $0.reason == .tooLarge }?.size == 1 << 20)
            }
        }
    }

    @Test("a subscriber that cannot reach Redis at start ends its run, and whoever waits for it to be ready hears why")
    func unreachableAtStart() async throws {
        try await SubscriberFixture.with { fixture in
            let subscriber = Subscriber(configuration: fixture.configuration { $0.redisURL = "redis://127.0.0.1:1" })
            let running = Task { try await subscriber.run() }
            let waited = await #expect(throws: (any Error).self) { try await subscriber.waitUntilReady() }
            await #expect(throws: (any Error).self) { try await running.value }
            #expect("\(waited.map { "\($0)" } ?? "")".contains("127.0.0.1:1"), "\(String(describing: waited))")
            #expect(!subscriber.isReady)
        }
    }

    @Test("graceful shutdown (SIGTERM's path) flushes the batch in hand, history and alarms, then returns")
    func gracefulShutdownFlushes() async throws {
        try await SubscriberFixture.with(extraSensors: 50) { fixture in
            try await fixture.withSubscriber(fixture.configuration {
                $0.history = true
                $0.historyFlushInterval = .seconds(60)
            }) { running in
                for round in 0..<40 {
                    for sensor in 100..<150 {
                        let token = fixture.token(house: 1, sensor: sensor, seq: UInt64(round), burning: round == 39 && sensor == 100)
                        try fixture.publisher.publishWithoutWaiting(topic: "houses/1/sensors/\(sensor)", payload: token, qos: .atLeastOnce)
                    }
                    await fixture.publisher.waitForWindow(atMost: 500)
                }
                await fixture.publisher.waitForWindow(atMost: 0)
                try await eventually("the subscriber is busy") { running.statistics.counters.received > 0 }
                try await running.stop()

                let counters = running.statistics.counters
                #expect(counters.received > 0)
                #expect(counters.stored == counters.received, "a received reading was not stored before exit")
                #expect(try await fixture.count("SELECT count(*) FROM readings") == counters.stored, "history was not flushed")
                #expect(try await fixture.count("SELECT count(*) FROM alarms") == counters.alarmsRaised + counters.alarmsCleared)
                #expect(counters.alarmsSpooled == 0)
            }
        }
    }
}
