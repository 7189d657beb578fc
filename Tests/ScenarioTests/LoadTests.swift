import Testing
@testable import Scenario

@Suite("Load and stages")
struct LoadTests {
    private func load(_ body: String, estate: String = "{ houses: 10, sensors: { fire_co: 1, leak: 1 } }") throws -> LoadProfile {
        try Fixture.scenario(Fixture.document(estate: estate, load: "\n" + body)).load
    }

    private func messages(_ body: String, estate: String = "{ houses: 10, sensors: { fire_co: 1, leak: 1 } }") -> [String] {
        Fixture.messages(Fixture.document(estate: estate, load: "\n" + body))
    }

    @Test("a duration with a rate is one constant stage; defaults fill the rest")
    func single() throws {
        let profile = try load("  rate: every 5s\n  duration: 10m")
        #expect(profile.stages == [Stage(name: "constant", duration: .seconds(600), shape: .constant(.perSensor(0.2)))])
        #expect(profile.qos == .atLeastOnce)
        #expect(profile.transport == .mqtt)
        #expect(!profile.history)
        #expect(profile.keys == .generated)
    }

    @Test("stages take their shape's defaults and get unique names")
    func stages() throws {
        let profile = try load("""
              rate: 1000/s
              qos: 2
              transport: redis-stream
              history: true
              keys: keys/
              stages:
                - warm_up: 10s
                - ramp: 1m
                  to: 2000/s
                - step: 40s
                  to: 4000/s
                - ramp: 1m
                  name: ramp-2-explicit
                  to: 0/s
                - ramp: 30s
                  to: 100/s
                - spike: 20s
                  peak: 5000/s
                - soak: 1h
                  measured: false
                - constant: 1m
                  rate: 0/s
            """)
        #expect(profile.stages.map(\.name) == ["warm_up", "ramp", "step", "ramp-2-explicit", "ramp-2", "spike", "soak", "constant"])
        #expect(profile.stages[0].shape == .warmUp(to: .total(1000)))
        #expect(profile.stages[0].measured == false)
        #expect(profile.stages[1].shape == .ramp(from: .total(1000), to: .total(2000)))
        #expect(profile.stages[2].shape == .step(from: .total(2000), to: .total(4000), steps: 4))
        #expect(profile.stages[4].shape == .ramp(from: .total(0), to: .total(100)))
        #expect(profile.stages[5].shape == .spike(base: .total(1000), peak: .total(5000), peakStart: .seconds(9), peakDuration: .seconds(2)))
        #expect(profile.stages[6].measured == false)
        #expect(profile.qos == .exactlyOnce)
        #expect(profile.transport == .redisStream)
        #expect(profile.keys == .directory("keys/"))
        let expectedSeconds: Int64 = 10 + 60 + 40 + 60 + 30 + 20 + 3600 + 60
        #expect(profile.duration == .seconds(expectedSeconds))
    }

    @Test("mistakes in the load", arguments: [
        ("  rate: 100/s", "load needs 'duration' (like 10m) for one constant stage, or 'stages'"),
        ("  duration: 1m", "load needs 'rate'"),
        ("  rate: 100/s\n  duration: 1m\n  stages: [ { constant: 1m } ]", "has both 'duration' and 'stages'"),
        ("  rate: 0/s\n  duration: 1m", "load.rate must be above 0"),
        ("  rate: -5/s\n  duration: 1m", "negative"),
        ("  rate: every 0s\n  duration: 1m", "infinitely fast"),
        ("  rate: every 500us\n  duration: 1m", "not a time unit"),
        ("  rate: 10000000/s\n  duration: 1m", "the total rate is at most 5,000,000/s"),
        ("  rate: 2000/s per sensor\n  duration: 1m", "one sensor sends at most 1000/s"),
        ("  rate: 100/s\n  duration: 8d", "from 100ms to 7d"),
        ("  rate: 100/s\n  stages: [ { constant: 4d }, { constant: 4d } ]", "a run lasts at most 7d"),
        ("  stages: [ { constant: 1m } ]", "(constant) needs 'rate'"),
        ("  stages: [ { ramp: 1m } ]", "(ramp) needs 'to'"),
        ("  stages: [ { ramp: 1m, constant: 1m, to: 5/s } ]", "has constant and ramp; a stage has exactly one shape"),
        ("  stages: [ { rate: 5/s } ]", "needs one of warm_up, constant, ramp, step, spike, soak"),
        ("  stages: [ { warm_up: 1m, rate: 5/s } ]", "no stage is measured"),
        ("  stages: [ { constant: 1m, rate: 0/s } ]", "this load sends no messages"),
        ("  stages: []", "must list 1 to 1,000 stages"),
        ("  rate: 5/s\n  stages: [ { step: 1m, to: 9/s, steps: 1 } ]", "from 2 to 1,000"),
        ("  rate: 5/s\n  stages: [ { spike: 1m, peak: 5/s } ]", "must be above the spike's base rate"),
        ("  rate: 5/s\n  stages: [ { spike: 1m, peak: 50/s, peak_duration: 2m } ]", "from 1ms to 1m"),
        ("  rate: 5/s\n  stages: [ { spike: 1m, peak: 50/s, peak_duration: 20s, peak_at: 50s } ]", "from 0s to 40s"),
        ("  rate: 5/s\n  stages: [ { constant: 1m, to: 9/s } ]", "load.stages[1].to does not apply to a constant stage"),
        ("  rate: 5/s\n  stages: [ { constant: 1m, name: a }, { constant: 1m, name: a } ]", "is already the name of stage 1"),
        ("  rate: 5/s\n  duration: 1m\n  qos: 3", "load.qos must be a whole number from 0 to 2"),
        ("  rate: 5/s\n  duration: 1m\n  transport: redis_stream", "did you mean 'redis-stream'?"),
        ("  rate: 5/s\n  duration: 1m\n  keys: \"\"", "load.keys must be 'generated' or a folder"),
    ])
    func mistakes(body: String, fragment: String) {
        let found = messages(body)
        #expect(found.anyContains(fragment), "\(found)")
    }

    @Test("per-sensor rates are checked as totals over the estate")
    func totalsOverTheEstate() {
        let found = messages("  rate: every 1ms\n  duration: 1m", estate: "{ houses: 10000, sensors: { leak: 1 } }")
        #expect(found.anyContains("over 10,000 sensors is 10000000/s; the total rate is at most 5,000,000/s"))
    }
}
