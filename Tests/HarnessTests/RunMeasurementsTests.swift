import Reports
import Scenario
import SensorCatalog
import Testing
@testable import Harness
@testable import Publisher
@testable import Subscriber

/// The run's bookkeeping fed by hand, with no servers: latency from the
/// intended time (coordinated omission corrected) and from the actual send,
/// counts by stage, loss and duplicates.
@Suite("RunMeasurements")
struct RunMeasurementsTests {
    static let origin: Int64 = 1_700_000_000_000_000_000

    /// Two houses of two periodic sensors at 100/s: a 1 s warm-up, then 2 s constant.
    static func fixture() throws -> (plan: SendPlan, measurements: RunMeasurements) {
        let scenario = try Scenario.parse(yaml: """
            version: 1
            name: measurements
            estate: { houses: 2, sensors: { thermostat: 1, fire_co: 1 } }
            load: { rate: 100/s, stages: [ { warm_up: 1s }, { constant: 2s } ] }
            """, file: "measurements.yaml")
        let layout = EstateLayout(estate: scenario.estate)
        let plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        let measurements = RunMeasurements(plan: plan, layout: layout)
        measurements.startTime { origin }
        return (plan, measurements)
    }

    /// Every scheduled send of the plan: (sensor, seq, intended ns since the epoch).
    static func sends(_ plan: SendPlan) -> [(sensor: Int, seq: UInt64, intended: Int64)] {
        (0 ..< plan.scheduledSendCount).map { n in
            let sensor = plan.sensorID(ofScheduledIndex: n % plan.scheduledSensorCount)!
            let seq = UInt64(n / plan.scheduledSensorCount)
            return (sensor, seq, origin + plan.intendedOffset(sensorID: sensor, seq: seq)!)
        }
    }

    static func house(of sensor: Int) -> Int { (sensor - 1) / 2 + 1 }

    /// Sends each reading at `sentAt(intended)`, stores it 1 ms later.
    static func feed(
        _ measurements: RunMeasurements, _ sends: [(sensor: Int, seq: UInt64, intended: Int64)],
        sentAt: (Int64) -> Int64, skip: Set<Int> = [], repeatIndex: Int? = nil
    ) {
        for (index, send) in sends.enumerated() {
            let sent = sentAt(send.intended)
            let reading = SentReading(sensorID: send.sensor, houseID: house(of: send.sensor), seq: send.seq,
                                      intendedNanoseconds: send.intended, sentNanoseconds: sent, isScheduled: true)
            measurements.publisher(didSend: SentBatch(worker: 0, readings: [reading], backlog: 0, lagNanoseconds: sent - send.intended))
            guard !skip.contains(index) else { continue }
            let stored = StoredReading(houseID: house(of: send.sensor), sensorID: send.sensor, seq: send.seq, sentAtNanoseconds: sent)
            let copies = index == repeatIndex ? 2 : 1
            for _ in 0 ..< copies {
                measurements.subscriberDidStore(StoredBatch(
                    transport: .mqtt, receivedAtNanoseconds: sent + 500_000, storedAtNanoseconds: sent + 1_000_000,
                    readings: [stored], outOfOrder: 0, deadLettered: 0, duplicates: 0
                ))
            }
        }
    }

    @Test("a publisher stall shows in latency from the intended time, not in latency from the send (coordinated omission)")
    func coordinatedOmission() throws {
        let (plan, measurements) = try Self.fixture()
        let sends = Self.sends(plan)
        // The publisher freezes from 1.5 s to 2.0 s, then sends everything it owed at once.
        let stallStart = Self.origin + 1_500_000_000
        let stallEnd = Self.origin + 2_000_000_000
        Self.feed(measurements, sends) { intended in
            intended >= stallStart && intended < stallEnd ? stallEnd : intended
        }
        let run = measurements.finish()
        let corrected = try #require(run.latency.first { $0.span == .endToEnd && $0.stage == nil && $0.kind == nil })
        let uncorrected = try #require(run.latency.first { $0.span == .endToEndUncorrected && $0.stage == nil && $0.kind == nil })
        let lag = try #require(run.latency.first { $0.span == .intendedToSent && $0.stage == nil && $0.kind == nil })
        // The reading due at 1.5 s waited half a second before it was even sent.
        #expect(corrected.summary.maxMs >= 499 && corrected.summary.maxMs <= 502)
        #expect(corrected.summary.p99Ms > 400)
        #expect(lag.summary.maxMs >= 499)
        // Timed from the send, every reading took 1 ms: the stall is invisible.
        #expect(uncorrected.summary.maxMs <= 1.01)
        #expect(uncorrected.summary.p99Ms <= 1.01)
        #expect(run.totals.lost == 0)
    }

    @Test("readings count in the stage they were meant for; totals cover measured stages only")
    func stages() throws {
        let (plan, measurements) = try Self.fixture()
        let sends = Self.sends(plan)
        Self.feed(measurements, sends) { $0 + 2_000_000 }
        let run = measurements.finish()
        #expect(run.stages.map(\.name) == ["warm_up", "constant"])
        let warmUp = sends.filter { $0.intended < Self.origin + 1_000_000_000 }.count
        #expect(run.stages[0].counts.sent == warmUp)
        #expect(run.stages[1].counts.sent == sends.count - warmUp)
        #expect(run.totals.sent == sends.count - warmUp)
        #expect(run.totals.stored == run.totals.sent)
        // Per kind and per stage records exist beside the totals.
        #expect(run.latency.contains { $0.span == .endToEnd && $0.stage == "constant" && $0.kind == "fire_co" })
        #expect(run.latency.contains { $0.span == .endToEnd && $0.stage == "warm_up" && $0.kind == "thermostat" })
        // Throughput per second adds up to what was sent.
        #expect(run.throughput.reduce(0) { $0 + $1.sent } == sends.count)
        #expect(!run.latencyTimeline.isEmpty)
    }

    @Test("a reading never stored is lost; one stored twice is a duplicate; sent = received - duplicates + lost")
    func lossAndDuplicates() throws {
        let (plan, measurements) = try Self.fixture()
        let sends = Self.sends(plan)
        let last = sends.count - 1
        Self.feed(measurements, sends, sentAt: { $0 }, skip: [last], repeatIndex: last - 1)
        let counts = measurements.finish().totals
        #expect(counts.lost == 1)
        #expect(counts.duplicates == 1)
        #expect(counts.sent == counts.received - counts.duplicates + counts.lost)
    }

    @Test("an event-driven reading stored before the publisher reported it is settled with its intended time")
    func eventDrivenSettled() throws {
        let scenario = try Scenario.parse(yaml: """
            version: 1
            name: events
            estate: { houses: 1, sensors: { thermostat: 1, door_window: 1 } }
            load: { rate: 10/s, duration: 2s }
            """, file: "events.yaml")
        let layout = EstateLayout(estate: scenario.estate)
        let plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        let measurements = RunMeasurements(plan: plan, layout: layout)
        measurements.startTime { Self.origin }
        let door = 2
        #expect(plan.intendedOffset(sensorID: door, seq: 0) == nil)
        let intended = Self.origin + 500_000_000
        let sent = intended + 100_000_000
        // The subscriber stores it first: its intended time is not known yet.
        measurements.subscriberDidStore(StoredBatch(
            transport: .mqtt, receivedAtNanoseconds: sent + 1_000_000, storedAtNanoseconds: sent + 2_000_000,
            readings: [StoredReading(houseID: 1, sensorID: door, seq: 0, sentAtNanoseconds: sent)], outOfOrder: 0, deadLettered: 0, duplicates: 0
        ))
        measurements.publisher(didSend: SentBatch(worker: 0, readings: [SentReading(
            sensorID: door, houseID: 1, seq: 0, intendedNanoseconds: intended, sentNanoseconds: sent, isScheduled: false
        )], backlog: 0, lagNanoseconds: 0))
        let run = measurements.finish()
        #expect(run.unresolved == 0)
        let corrected = try #require(run.latency.first { $0.span == .endToEnd && $0.kind == "door_window" && $0.stage == nil })
        #expect(corrected.summary.count == 1)
        #expect(abs(corrected.summary.maxMs - 102) < 0.5)
        #expect(run.totals.lost == 0 && run.totals.sent == 1)
    }
}
