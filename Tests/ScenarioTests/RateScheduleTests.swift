import Testing
@testable import Scenario

/// The schedule is checked against closed forms: for each shape, the rate
/// at chosen times, the integral (expected count) and its inverse (the
/// intended time of the n-th send).
@Suite("Rate schedules")
struct RateScheduleTests {
    private func schedule(_ stages: [Stage], sensors: Int = 1) -> RateSchedule {
        RateSchedule(stages: stages, sensorCount: sensors)
    }

    private func isClose(_ lhs: Double?, _ rhs: Double, tolerance: Double = 1e-9) -> Bool {
        guard let lhs else { return false }
        return abs(lhs - rhs) <= tolerance * max(1, abs(rhs))
    }

    @Test("constant: flat rate, linear count, evenly spaced sends")
    func constant() {
        let plan = schedule([Stage(name: "c", duration: .seconds(10), shape: .constant(.total(100)))])
        #expect(plan.rate(at: 0) == 100)
        #expect(plan.rate(at: 9.99) == 100)
        #expect(plan.rate(at: 10) == 0)
        #expect(plan.rate(at: -1) == 0)
        #expect(isClose(plan.expectedCount(at: 2.5), 250))
        #expect(plan.totalCount == 1000)
        #expect(plan.sendCount == 1000)
        #expect(plan.intendedTime(ofSend: 0) == 0)
        #expect(isClose(plan.intendedTime(ofSend: 1), 0.01))
        #expect(isClose(plan.intendedTime(ofSend: 999), 9.99))
        #expect(plan.intendedTime(ofSend: 1000) == nil)
        #expect(plan.intendedTime(ofSend: -1) == nil)
        #expect(plan.intendedOffset(ofSend: 250) == .milliseconds(2500))
    }

    @Test("warm-up: rises from zero, count grows with the square of time")
    func warmUp() {
        let plan = schedule([Stage(name: "w", duration: .seconds(10), shape: .warmUp(to: .total(100)))])
        #expect(plan.rate(at: 0) == 0)
        #expect(isClose(plan.rate(at: 5), 50))
        #expect(isClose(plan.expectedCount(at: 5), 125))
        #expect(isClose(plan.totalCount, 500))
        // count(t) = 5 t², so send n is due at sqrt(n / 5).
        #expect(isClose(plan.intendedTime(ofSend: 125), 5))
        #expect(isClose(plan.intendedTime(ofSend: 320), 8))
        #expect(plan.stages[0].measured == false)
    }

    @Test("ramp: linear in rate, both up and down")
    func ramp() {
        let up = schedule([Stage(name: "r", duration: .seconds(10), shape: .ramp(from: .total(100), to: .total(300)))])
        #expect(isClose(up.rate(at: 5), 200))
        // count(t) = 100 t + 10 t²
        #expect(isClose(up.expectedCount(at: 4), 560))
        #expect(isClose(up.totalCount, 2000))
        #expect(isClose(up.intendedTime(ofSend: 560), 4))

        let down = schedule([Stage(name: "r", duration: .seconds(10), shape: .ramp(from: .total(300), to: .total(100)))])
        // count(t) = 300 t - 10 t²
        #expect(isClose(down.expectedCount(at: 4), 1040))
        #expect(isClose(down.intendedTime(ofSend: 1040), 4))
        #expect(isClose(down.intendedTime(ofSend: 1999), 10 - (1.0 / 100) , tolerance: 1e-4))
    }

    @Test("step: equal plateaus from `from` to `to`, both included")
    func step() {
        let plan = schedule([Stage(name: "s", duration: .seconds(40), shape: .step(from: .total(100), to: .total(400), steps: 4))])
        #expect(plan.rate(at: 5) == 100)
        #expect(plan.rate(at: 15) == 200)
        #expect(plan.rate(at: 25) == 300)
        #expect(plan.rate(at: 35) == 400)
        #expect(isClose(plan.totalCount, 10 * (100 + 200 + 300 + 400)))
        #expect(isClose(plan.intendedTime(ofSend: 1000), 10))
        #expect(isClose(plan.intendedTime(ofSend: 1100), 10.5))
    }

    @Test("spike: base, then the peak for its length at its offset, then base again")
    func spike() {
        let shape = Stage.Shape.spike(base: .total(100), peak: .total(1000), peakStart: .seconds(10), peakDuration: .seconds(5))
        let plan = schedule([Stage(name: "p", duration: .seconds(30), shape: shape)])
        #expect(plan.rate(at: 9.9) == 100)
        #expect(plan.rate(at: 10) == 1000)
        #expect(plan.rate(at: 14.9) == 1000)
        #expect(plan.rate(at: 15) == 100)
        #expect(isClose(plan.totalCount, 100 * 25 + 1000 * 5))
        #expect(isClose(plan.intendedTime(ofSend: 1500), 10.5))
        #expect(plan.peakRate() == 1000)
    }

    @Test("soak: a constant rate over a long stage")
    func soak() {
        let plan = schedule([Stage(name: "s", duration: .seconds(3600), shape: .soak(.perSensor(0.2)))], sensors: 6000)
        #expect(isClose(plan.rate(at: 1800), 1200))
        #expect(isClose(plan.totalCount, 1200 * 3600))
        #expect(isClose(plan.intendedTime(ofSend: 1200 * 1800), 1800))
    }

    @Test("stages chain on one timeline; silent stretches send nothing")
    func chained() {
        let plan = schedule([
            Stage(name: "a", duration: .seconds(10), shape: .constant(.total(10))),
            Stage(name: "pause", duration: .seconds(10), shape: .constant(.zero)),
            Stage(name: "b", duration: .seconds(10), shape: .constant(.total(10))),
        ])
        #expect(plan.duration == 30)
        #expect(plan.totalCount == 200)
        #expect(isClose(plan.intendedTime(ofSend: 99), 9.9))
        // The next send waits out the pause.
        #expect(isClose(plan.intendedTime(ofSend: 100), 20))
        #expect(isClose(plan.expectedCount(at: 15), 100))
        #expect(plan.stageIndex(at: 15) == 1)
        #expect(plan.stageIndex(at: 25) == 2)
        #expect(plan.stageIndex(at: 30) == nil)
        #expect(plan.stages.map(\.name) == ["a", "pause", "b"])
    }

    @Test("intended times never go backwards and match the count", arguments: [1, 7, 1000])
    func monotonic(sensors: Int) {
        let plan = schedule([
            Stage(name: "w", duration: .seconds(3), shape: .warmUp(to: .perSensor(2))),
            Stage(name: "r", duration: .seconds(5), shape: .ramp(from: .perSensor(2), to: .perSensor(0.5))),
            Stage(name: "p", duration: .seconds(4), shape: .spike(base: .perSensor(0.5), peak: .perSensor(3), peakStart: .seconds(1), peakDuration: .milliseconds(500))),
        ], sensors: sensors)
        var previous = -1.0
        let step = max(1, plan.sendCount / 2000)
        for n in stride(from: 0, to: plan.sendCount, by: step) {
            guard let time = plan.intendedTime(ofSend: n) else {
                Issue.record("send \(n) of \(plan.sendCount) has no time")
                return
            }
            #expect(time >= previous)
            #expect(abs(plan.expectedCount(at: time) - Double(n)) < 1e-6 * max(1, Double(n)))
            previous = time
        }
        #expect(plan.intendedTime(ofSend: plan.sendCount) == nil)
    }

    @Test("a shard's schedule is the whole one scaled")
    func scaled() {
        let plan = schedule([Stage(name: "r", duration: .seconds(10), shape: .ramp(from: .total(100), to: .total(300)))])
        let shard = plan.scaled(by: 0.25)
        #expect(isClose(shard.totalCount, plan.totalCount / 4))
        #expect(isClose(shard.rate(at: 5), 50))
        #expect(shard.duration == plan.duration)
    }

    @Test("the scenario's schedule uses the estate's sensor count")
    func fromScenario() throws {
        let scenario = try Fixture.scenario("""
            name: t
            estate: { houses: 10, sensors: { fire_co: 1, leak: 2 } }
            load: { rate: every 5s, duration: 1m }
            """)
        #expect(isClose(scenario.rateSchedule.rate(at: 30), 6))
        #expect(isClose(scenario.rateSchedule.totalCount, 360))
    }
}
