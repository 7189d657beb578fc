import Testing
import Scenario
import SensorCatalog
import SensorKit
@testable import Publisher

@Suite("Send plan: who sends when")
struct SendPlanTests {
    @Test("periodic sensors share the schedule, on-change sensors report on their own")
    func partition() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 4, sensors: { fire_co: 1, door_window: 2, leak: 1 } }")
        let layout = EstateLayout(estate: scenario.estate)
        let plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        #expect(plan.scheduledSensorCount == 8)
        #expect(plan.eventDrivenSensorCount == 8)
        // House h's sensors are ids 4h-3 ... 4h: fire_co, door, door, leak.
        #expect(plan.scheduledIndex(ofSensor: 1) == 0)
        #expect(plan.scheduledIndex(ofSensor: 2) == nil)
        #expect(plan.scheduledIndex(ofSensor: 3) == nil)
        #expect(plan.scheduledIndex(ofSensor: 4) == 1)
        #expect(plan.scheduledIndex(ofSensor: 16) == 7)
        #expect(plan.scheduledIndex(ofSensor: 17) == nil)
    }

    @Test("the summary counts scheduled messages for periodic sensors only, and names the on-change ones, as the plan sends them")
    func summaryCountsWhatThePlanSends() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 4, sensors: { fire_co: 1, door_window: 2, leak: 1 } }",
                                                      load: "{ rate: every 5s, duration: 60s, qos: 1, transport: mqtt }")
        let plan = try SendPlan(layout: EstateLayout(estate: scenario.estate), stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        #expect(scenario.estate.scheduledSensorCount(in: .builtIn) == plan.scheduledSensorCount)
        // 8 periodic sensors, one reading each per 5 s for 60 s: 96.
        #expect(plan.scheduledSendCount == 96)
        let summary = scenario.summary(in: .builtIn)
        #expect(summary.contains("about 96 scheduled messages (peak 1.6/s) plus what 8 on-change sensors report"))
        // Without the catalogue every sensor counts as scheduled.
        #expect(scenario.summary.contains("about 192 messages"))
    }

    @Test("scheduled index and sensor id map both ways, across house groups")
    func roundTrip() throws {
        let scenario = try PublisherFixtures.scenario(estate: """
            { houses: [ { count: 3, sensors: [door_window, fire_co, thermostat] }, { count: 2, sensors: [door_window] }, { count: 4, sensors: [motion, garage, door_window] } ] }
            """)
        let layout = EstateLayout(estate: scenario.estate)
        let plan = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 2)
        var scheduled: [Int] = []
        layout.forEachSensor { sensor in
            if let index = plan.scheduledIndex(ofSensor: sensor.id) {
                #expect(plan.sensorID(ofScheduledIndex: index) == sensor.id)
                scheduled.append(index)
            } else {
                #expect(sensor.kind == .doorWindow)
            }
        }
        #expect(scheduled == Array(0 ..< plan.scheduledSensorCount), "scheduled indices follow sensor ids")
        #expect(plan.scheduledSensorCount == 3 * 2 + 4 * 2)
        #expect(plan.sensorID(ofScheduledIndex: plan.scheduledSensorCount) == nil)
    }

    @Test("a scheduled reading's intended time is recomputable from its sensor and seq")
    func intendedTimes() throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 3, sensors: { fire_co: 1, leak: 1 } }",
            load: "{ rate: 60/s, stages: [ { warm_up: 1s }, { constant: 2s } ], qos: 0 }"
        )
        let plan = try SendPlan(layout: EstateLayout(estate: scenario.estate), stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        let p = plan.scheduledSensorCount
        #expect(p == 6)
        for sensor in 1...6 {
            let j = try #require(plan.scheduledIndex(ofSensor: sensor))
            for seq in UInt64(0) ..< 5 {
                #expect(plan.sendNumber(sensorID: sensor, seq: seq) == Int(seq) * p + j)
                let seconds = try #require(plan.schedule.intendedTime(ofSend: Int(seq) * p + j))
                #expect(plan.intendedOffset(sensorID: sensor, seq: seq) == Int64((seconds * 1e9).rounded()))
            }
        }
        // Past the end of the run there is no intended time.
        #expect(plan.intendedOffset(sensorID: 1, seq: 1_000) == nil)
    }

    @Test("a per-sensor rate applies to each scheduled sensor; a total rate is shared")
    func rateBasis() throws {
        let estate = "{ houses: 5, sensors: { fire_co: 1, door_window: 1 } }"
        let perSensor = try PublisherFixtures.scenario(estate: estate, load: "{ rate: every 2s, duration: 10s, qos: 0 }")
        let plan = try SendPlan(layout: EstateLayout(estate: perSensor.estate), stages: perSensor.load.stages, catalog: .builtIn, workers: 1)
        #expect(plan.schedule.rate(at: 1) == 2.5, "five scheduled sensors every 2 s; door contacts do not count")
        #expect(plan.scheduledSendCount == 25)

        let total = try PublisherFixtures.scenario(estate: estate, load: "{ rate: 40/s, duration: 10s, qos: 0 }")
        let totalPlan = try SendPlan(layout: EstateLayout(estate: total.estate), stages: total.load.stages, catalog: .builtIn, workers: 1)
        #expect(totalPlan.schedule.rate(at: 1) == 40)
        #expect(totalPlan.scheduledSendCount == 400)
    }

    @Test("--duration cuts the run short or holds the final rate")
    func durationOverride() throws {
        let scenario = try PublisherFixtures.scenario(
            estate: "{ houses: 2, sensors: [leak] }",
            load: "{ rate: 100/s, stages: [ { warm_up: 2s }, { constant: 2s } ], qos: 0 }"
        )
        let layout = EstateLayout(estate: scenario.estate)
        let full = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1)
        #expect(full.runDuration == 4)
        #expect(full.scheduledSendCount == 300)

        let cut = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1, duration: .seconds(1))
        #expect(cut.runDuration == 1)
        #expect(cut.scheduledSendCount == 25, "the first second of a 2 s warm-up to 100/s")
        #expect(cut.schedule == full.schedule, "cutting keeps the shapes")

        let extended = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 1, duration: .seconds(6))
        #expect(extended.runDuration == 6)
        #expect(extended.scheduledSendCount == 500)
        #expect(extended.schedule.rate(at: 5) == 100)
    }

    @Test("workers split the estate by connection, never more workers than connections")
    func workers() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 10, sensors: [leak], mqtt_connections: 3 }")
        let layout = EstateLayout(estate: scenario.estate)
        let two = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 2)
        #expect((1...10).map(two.worker(ofHouse:)) == (1...10).map { layout.connection(ofHouse: $0) % 2 })
        let many = try SendPlan(layout: layout, stages: scenario.load.stages, catalog: .builtIn, workers: 8)
        #expect(many.workerCount == 3)
    }

    @Test("a kind without a plugin is refused up front")
    func unknownKind() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 1, sensors: [leak, fire_co] }")
        let onlyLeak = SensorCatalog(plugins: SensorCatalog.builtIn.plugins.filter { $0.kind == .leak })
        let error = #expect(throws: PublisherError.self) {
            try SendPlan(layout: EstateLayout(estate: scenario.estate), stages: scenario.load.stages, catalog: onlyLeak, workers: 1)
        }
        #expect(error?.code == .unknownKind)
        #expect(error?.message.contains("fire_co") == true)
    }
}
