import Testing
import Scenario
import SensorCatalog
import SensorKit
@testable import Publisher

/// The open-loop schedule driven by a manual clock: what goes out when, what
/// happens when the publisher stalls, and how scenario events land.
/// The reporting of the built-in door contact, as the catalogue declares it.
enum DoorWindowPlugin {
    static let reporting = SensorCatalog.builtIn.descriptor(for: .doorWindow)?.reporting
}

@Suite("Open-loop publishing with an injected clock")
struct OpenLoopTests {
    @Test("every planned send is made once, at its intended time, with seq counting from 0")
    func everySendOnTime() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 5, owners: 2, sensors: { fire_co: 1, leak: 1, thermostat: 1 } }",
            load: "{ rate: 300/s, stages: [ { warm_up: 1s }, { constant: 1s } ], qos: 0 }"
        ))
        await run.run()
        let readings = try run.readings()
        #expect(readings.count == run.plan.scheduledSendCount)
        #expect(run.stats.sent == readings.count)
        #expect(run.stats.scheduledSent == readings.count)
        #expect(run.stats.maxLatenessNanoseconds == 0, "a manual clock wakes the worker exactly on time")

        var nextSeq: [Int: UInt64] = [:]
        for (message, reading) in readings {
            #expect(reading.sensorID == message.sensor)
            #expect(reading.houseID == message.house)
            #expect(run.layout.sensor(id: message.sensor)?.houseID == message.house)
            #expect(reading.seq == nextSeq[message.sensor, default: 0], "seq per sensor from 0 without gaps")
            nextSeq[message.sensor] = reading.seq + 1
        }
        // The harness can recompute every intended time from the plan.
        let wallStart = ManualClock.wallOrigin
        for sent in run.recording.sentReadings {
            let offset = try #require(run.plan.intendedOffset(sensorID: sent.sensorID, seq: sent.seq))
            #expect(sent.intendedNanoseconds == wallStart + offset)
            #expect(sent.sentNanoseconds == sent.intendedNanoseconds)
        }
        // The payload's sent_at_ns is what the observer saw.
        let sentAt = Dictionary(uniqueKeysWithValues: run.recording.sentReadings.map { ("\($0.sensorID)/\($0.seq)", $0.sentNanoseconds) })
        for (_, reading) in readings {
            #expect(sentAt["\(reading.sensorID)/\(reading.seq)"] == reading.sentAt.nanosecondsSinceEpoch)
        }
    }

    @Test("at a high rate readings go out in batches per tick, never one wake per message")
    func batchesPerTick() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 20, sensors: { fire_co: 1, leak: 1 } }",
            load: "{ rate: 20000/s, duration: 200ms, qos: 0 }"
        ))
        await run.run(tick: .milliseconds(2))
        let batches = run.recording.batches.filter { !$0.readings.isEmpty }
        #expect(run.stats.sent == run.plan.scheduledSendCount)
        #expect(run.stats.sent == 4000)
        #expect(batches.count <= 101, "about one batch per 2 ms tick, got \(batches.count)")
        #expect(batches.map(\.readings.count).max() ?? 0 <= 41)
        #expect(run.stats.maxLatenessNanoseconds <= 2_000_000, "nothing waits longer than a tick")
    }

    @Test("a stalled publisher reports its lag and catches up without skipping a send")
    func stallThenCatchUp() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 4, sensors: { fire_co: 1, leak: 1 } }",
            load: "{ rate: 1000/s, duration: 3s, qos: 0 }"
        ))
        await run.run(clock: ManualClock(stalls: [(at: .milliseconds(500), by: .seconds(1))]), batchLimit: 100)
        #expect(run.stats.sent == run.plan.scheduledSendCount)
        #expect(run.stats.sent == 3000)
        let batches = run.recording.batches
        #expect(batches.allSatisfy { $0.readings.count <= 100 }, "catch-up goes in bounded batches")
        let worst = try #require(batches.max { $0.lagNanoseconds < $1.lagNanoseconds })
        #expect(worst.lagNanoseconds >= 900_000_000, "the lag shows the stall")
        #expect(worst.backlog >= 900)
        #expect(run.stats.maxLatenessNanoseconds >= 999_000_000)
        #expect(run.stats.maxBacklog >= 900)
        #expect(run.stats.maxLagNanoseconds >= 900_000_000)
        #expect(run.stats.backlog <= 2, "caught up by the end: only the reading due at the last wake was waiting")
        #expect(run.stats.lagNanoseconds < 1_000_000)
        let late = run.recording.sentReadings.filter { $0.latenessNanoseconds > 0 }
        #expect(late.count >= 1000, "the readings due during the stall went out late, not never")
        // Each sensor's seq still has no gap.
        var seqs: [Int: [UInt64]] = [:]
        for sent in run.recording.sentReadings { seqs[sent.sensorID, default: []].append(sent.seq) }
        for (_, list) in seqs { #expect(list == Array(0 ..< UInt64(list.count))) }
    }

    @Test("a fire in house 2 reaches house 2's detector at its time, and no other")
    func sensorEvents() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 3, sensors: { fire_co: 1, leak: 1 } }",
            load: "{ rate: every 1s, duration: 120s, qos: 0 }",
            events: "[ { at: 10s, event: fire_start, houses: [2] } ]"
        ))
        await run.run()
        let events = run.recording.events
        #expect(events.map(\.name) == ["fire_start"])
        #expect(events.first?.sensors == 1)
        let fireReadings = try run.readings().map(\.reading).filter { $0.kind == .fireCO }
        let start = Timestamp(nanosecondsSinceEpoch: ManualClock.wallOrigin)
        for reading in fireReadings where reading.houseID != 2 {
            #expect(reading.alarms.isEmpty, "no fire in house \(reading.houseID)")
        }
        let house2 = fireReadings.filter { $0.houseID == 2 }
        #expect(house2.filter { $0.timestamp.seconds(since: start) < 10 }.allSatisfy { $0.alarms.isEmpty })
        let late = house2.filter { $0.timestamp.seconds(since: start) > 100 }
        #expect(!late.isEmpty && late.allSatisfy { $0.alarms.contains("co") }, "the fire has raised the CO alarm")
    }

    @Test("event-driven sensors report on their own time and on scenario events")
    func eventDrivenSensors() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 3, sensors: { fire_co: 1, door_window: 1 } }",
            load: "{ rate: every 2s, duration: 20s, qos: 0 }",
            events: "[ { at: 5s, event: open, houses: [3] } ]"
        ))
        #expect(run.plan.scheduledSensorCount == 3)
        #expect(run.plan.eventDrivenSensorCount == 3)
        await run.run()
        let readings = try run.readings().map(\.reading)
        #expect(readings.filter { $0.kind == .fireCO }.count == run.plan.scheduledSendCount)
        #expect(run.plan.scheduledSendCount == 30, "three detectors every 2 s for 20 s")
        let doors = readings.filter { $0.kind == .doorWindow }
        #expect(run.stats.eventDrivenSent == doors.count)
        // A contact first reports somewhere in its 15-minute heartbeat, or when an event touches it.
        let heartbeatReporters = Set(run.layout.houses.map(\.id).filter { house in
            let door = run.layout.sensorIDs(inHouse: house)!.upperBound
            let first = SendEngine.firstPollOffset(sensorID: door, reporting: DoorWindowPlugin.reporting, seed: run.scenario.seed)
            return first < 20_000_000_000
        })
        #expect(Set(doors.map(\.houseID)) == heartbeatReporters.union([3]))
        let start = Timestamp(nanosecondsSinceEpoch: ManualClock.wallOrigin)
        let opened = try #require(doors.first { $0.houseID == 3 && $0[field: "status"] == .text("Open") })
        let delay = opened.timestamp.seconds(since: start) - 5
        #expect(delay >= 0 && delay < 1, "the opened door reports once it settles, \(delay) s after the event")
        for house in 1...3 {
            let seqs = doors.filter { $0.houseID == house }.map(\.seq)
            #expect(seqs == Array(0 ..< UInt64(seqs.count)))
        }
    }

    @Test("event-driven sensors of a large estate start spread over their heartbeat, not in a burst")
    func heartbeatSpread() {
        let offsets = (1...10_000).map { SendEngine.firstPollOffset(sensorID: $0, reporting: DoorWindowPlugin.reporting, seed: 5) }
        let heartbeat: Int64 = 900_000_000_000
        #expect(offsets.allSatisfy { $0 >= 0 && $0 < heartbeat })
        let firstMinute = offsets.filter { $0 < 60_000_000_000 }.count
        #expect(firstMinute > 450 && firstMinute < 900, "about 1/15 of them in the first minute, got \(firstMinute)")
        #expect(offsets == (1...10_000).map { SendEngine.firstPollOffset(sensorID: $0, reporting: DoorWindowPlugin.reporting, seed: 5) })
    }

    @Test("two workers split the houses by connection and together send everything once")
    func twoWorkers() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 6, owners: 3, sensors: { fire_co: 1, leak: 1, motion: 1 }, mqtt_connections: 4 }",
            load: "{ rate: 900/s, duration: 1s, qos: 0 }"
        ), workers: 2)
        await run.run()
        let readings = try run.readings()
        #expect(readings.count == run.plan.scheduledSendCount)
        #expect(Set(readings.map { "\($0.reading.sensorID)/\($0.reading.seq)" }).count == readings.count, "no reading twice")
        for (message, _) in readings {
            let connection = run.layout.connection(ofHouse: message.house)
            #expect(message.worker == connection % 2)
            #expect(message.connection == connection / 2, "the worker's own index of the house's connection")
        }
        #expect(Set(readings.map(\.message.worker)) == [0, 1])
    }

    @Test("three shards split the houses and together send every planned reading once")
    func shards() async throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 7, owners: 3, sensors: { fire_co: 1, leak: 1, motion: 1 } }",
            load: "{ rate: 700/s, duration: 1s, qos: 0 }"
        )
        var all: [String] = []
        for index in 0 ..< 3 {
            let shard = try LoadShard(index: index, count: 3)
            var run = try OpenLoopRun(scenario)
            await run.run(shard: shard)
            let readings = try run.readings()
            #expect(readings.allSatisfy { shard.contains(house: $0.message.house) })
            #expect(readings.count == run.plan.scheduledSendCount(shard: shard), "the shard's planned count is what it sends")
            all += readings.map { "\($0.reading.sensorID)/\($0.reading.seq)" }
        }
        let plan = try OpenLoopRun(scenario).plan
        #expect(all.count == plan.scheduledSendCount)
        #expect(Set(all).count == all.count, "no reading sent by two shards")
    }

    @Test("a shard is i/n with 0 ≤ i < n; anything else says how to write it")
    func shardSyntax() throws {
        #expect(try LoadShard(text: "0/4") == LoadShard(index: 0, count: 4))
        #expect(try LoadShard(text: "3/4").contains(house: 4))
        for bad in ["4/4", "-1/2", "1", "a/b", "1/0", ""] {
            #expect(throws: PublisherError.self) { try LoadShard(text: bad) }
        }
    }

    @Test("sends the transport refuses are counted, never hidden or retried")
    func refusals() async throws {
        var run = try OpenLoopRun(PublisherFixtures.scenario(
            estate: "{ houses: 2, sensors: [fire_co, leak] }",
            load: "{ rate: 200/s, duration: 1s, qos: 0 }"
        ))
        await run.run(refuse: { $0 % 3 == 0 })
        let planned = run.plan.scheduledSendCount
        #expect(run.stats.failed == planned / 3)
        #expect(run.stats.mqttFailed == planned / 3)
        #expect(run.stats.sent + run.stats.failed == planned)
        #expect(run.recording.messages.count == run.stats.sent)
    }
}
