import Testing
@testable import Scenario
import SensorKit

@Suite("Events")
struct EventTests {
    private func events(_ list: String, estate: String = "{ houses: 20, sensors: { fire_co: 1, leak: 1, thermostat: 1, motion: 1 } }") throws -> [ScenarioEvent] {
        try Fixture.scenario(Fixture.document(estate: estate, extra: "events:\n" + list)).events
    }

    private func messages(_ list: String, estate: String = "{ houses: 20, sensors: { fire_co: 1, leak: 1, thermostat: 1, motion: 1 } }", vocabulary: EventVocabulary = .builtIn) -> [String] {
        Fixture.messages(Fixture.document(estate: estate, extra: "events:\n" + list), vocabulary: vocabulary)
    }

    @Test("sensor events resolve their kind and houses; faults stand alone; all sorted by time")
    func resolves() throws {
        let list = try events("""
              - { at: 45s, event: leak_start, houses: 10-20 }
              - { at: 30s, event: fire_start, houses: [3] }
              - { at: 50s, event: broker_restart }
              - { at: 40s, event: postgres_stop, duration: 10s }
              - { at: 5s, event: setpoint, houses: all, value: 19.5 }
              - { at: 6s, event: occupancy_burst, houses: "1, 4-6" }
              - { at: 7s, event: occupancy_burst, houses: [2, "8-9"], duration: 2m }
            """)
        #expect(list.map(\.name) == ["setpoint", "occupancy_burst", "occupancy_burst", "fire_start", "postgres_stop", "leak_start", "broker_restart"])
        #expect(list[0].action == .sensor(SensorTrigger(kind: .thermostat, name: "setpoint", houses: .all, parameters: ["value": 19.5])))
        #expect(list[1].action == .sensor(SensorTrigger(kind: .motion, name: "occupancy_burst", houses: .ranges([1...1, 4...6]), parameters: ["duration": 300])))
        #expect(list[2].action == .sensor(SensorTrigger(kind: .motion, name: "occupancy_burst", houses: .ranges([2...2, 8...9]), parameters: ["duration": 120])))
        #expect(list[3].action == .sensor(SensorTrigger(kind: .fireCO, name: "fire_start", houses: .ranges([3...3]))))
        #expect(list[4].action == .fault(Fault(kind: .postgresStop, duration: .seconds(10))))
        #expect(list[5].at == .seconds(45))
        #expect(list[6].action == .fault(Fault(kind: .brokerRestart)))
        #expect(list[3].location == SourceLocation(line: 6, column: 5))
    }

    @Test("house selections", arguments: [
        ("all", HouseSelection.all),
        ("3", .ranges([3...3])),
        ("10-20", .ranges([10...20])),
        ("1, 4-6", .ranges([1...1, 4...6])),
    ])
    func selections(text: String, expected: HouseSelection) throws {
        let list = try events("  - { at: 1s, event: fire_start, houses: \"\(text)\" }")
        guard case .sensor(let trigger) = list[0].action else {
            Issue.record("not a sensor event")
            return
        }
        #expect(trigger.houses == expected)
        #expect(trigger.houses.description == text)
    }

    @Test func selectionMembership() {
        let selection = HouseSelection.ranges([1...1, 4...6, 5...8])
        #expect(selection.contains(5))
        #expect(!selection.contains(3))
        #expect(selection.houses(among: 7) == [1, 4, 5, 6, 7])
        #expect(HouseSelection.all.houses(among: 3) == [1, 2, 3])
    }

    @Test("mistakes in events", arguments: [
        ("  - { at: 30s, event: fire_strat, houses: [3] }", "unknown event 'fire_strat' (did you mean 'fire_start'?); events are fire_co: fire_start, fire_stop"),
        ("  - { at: 30s, event: fire_start }", "needs 'houses'"),
        ("  - { at: 30s, event: fire_start, houses: [0] }", "'0' is not a house number or range"),
        ("  - { at: 30s, event: fire_start, houses: 20-10 }", "'20-10' is not a house number or range"),
        ("  - { at: 30s, event: fire_start, houses: [25] }", "house 25 does not exist; the estate has houses 1 to 20"),
        ("  - { at: 30s, event: open, houses: [2] }", "house 2 has no door_window sensor"),
        ("  - { at: 30s, event: garage_open, houses: all }", "no house has a garage sensor"),
        ("  - { at: 90s, event: fire_start, houses: [1] }", "is 1m30s, but the run lasts 1m"),
        ("  - { at: 50s, event: postgres_stop, duration: 20s }", "ends after the run"),
        ("  - { at: 5s, event: postgres_stop }", "needs 'duration'"),
        ("  - { at: 5s, event: broker_restart, houses: [1] }", "broker_restart acts on the whole stack and takes no houses"),
        ("  - { at: 5s, event: setpoint, houses: all }", "setpoint needs 'value', from 5 to 35 °C"),
        ("  - { at: 5s, event: setpoint, houses: all, value: 80 }", "must be a number from 5 to 35 °C; got '80'"),
        ("  - { at: 5s, event: fire_start, houses: all, value: 3 }", "fire_start has no parameter 'value'; it takes no parameters"),
        ("  - { at: 5s, event: fire_start, houses: all, duration: 3s }", "fire_start has no parameter 'duration'"),
        ("  - { at: 5s, event: fire_start, houses: all, kind: leak }", "leak sensors have no event 'fire_start'; theirs are leak_start, leak_reset"),
        ("  - { at: -5s, event: fire_start, houses: all }", "negative"),
        ("  - { event: fire_start, houses: all }", "needs 'at'"),
        ("  - fire_start", "events[1] must be a mapping"),
        ("  - { at: 5s, event: occupancy_burst, houses: all, duration: 0s }", "from 1s to 1d"),
    ])
    func mistakes(list: String, fragment: String) {
        let found = messages(list)
        #expect(found.anyContains(fragment), "\(found)")
    }

    @Test("targets are checked group by group")
    func mixedGroups() throws {
        let estate = "{ houses: [ { count: 5, sensors: [fire_co] }, { count: 5, sensors: [leak] }, { count: 5, sensors: [fire_co] } ] }"
        #expect(messages("  - { at: 1s, event: fire_start, houses: 3-7 }", estate: estate).anyContains("house 6 has no fire_co sensor"))
        #expect(messages("  - { at: 1s, event: fire_start, houses: [1-5, 11-15, 8] }", estate: estate).anyContains("house 8 has no fire_co sensor"))
        let fine = try events("""
              - { at: 1s, event: fire_start, houses: [1-5, 11-15] }
              - { at: 1s, event: leak_start, houses: all }
            """, estate: estate)
        #expect(fine.count == 2)
    }

    @Test("the vocabulary is injected: plugins add events, and shared names need kind:")
    func injectedVocabulary() throws {
        let alarm = SensorKind("siren")
        let vocabulary = EventVocabulary.builtIn.merging(EventVocabulary(kinds: [alarm], entries: [
            EventVocabulary.Entry(kind: alarm, name: "open"),
            EventVocabulary.Entry(kind: alarm, name: "wail", parameters: [EventVocabulary.Parameter(name: "volume", unit: "dB", range: 0...120, defaultValue: 90)]),
        ]))
        let estate = "{ houses: 3, sensors: { door_window: 1, siren: 1 } }"
        let ambiguous = messages("  - { at: 1s, event: open, houses: all }", estate: estate, vocabulary: vocabulary)
        #expect(ambiguous.anyContains("'open' is an event of door_window and siren; add kind:"))
        let scenario = try Fixture.scenario(Fixture.document(estate: estate, extra: """
            events:
              - { at: 1s, event: open, kind: siren, houses: all }
              - { at: 2s, event: wail, houses: [2], volume: 110 }
            """), vocabulary: vocabulary)
        #expect(scenario.events[0].action == .sensor(SensorTrigger(kind: alarm, name: "open", houses: .all)))
        #expect(scenario.events[1].action == .sensor(SensorTrigger(kind: alarm, name: "wail", houses: .ranges([2...2]), parameters: ["volume": 110])))
        #expect(messages("  - { at: 1s, event: wail, houses: all }", estate: estate).anyContains("unknown event 'wail'"))
    }

    @Test func vocabularyFromNames() {
        let vocabulary = EventVocabulary([SensorKind("b"): ["x", "y"], SensorKind("a"): []])
        #expect(vocabulary.kinds == [SensorKind("a"), SensorKind("b")])
        #expect(vocabulary.entries(named: "y").map(\.kind) == [SensorKind("b")])
        #expect(EventVocabulary.builtIn.kinds == SensorKind.builtIn)
        #expect(EventVocabulary.builtIn.entries.count == 11)
    }
}
