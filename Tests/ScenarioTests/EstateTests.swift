import Testing
@testable import Scenario
import SensorKit

@Suite("Estate")
struct EstateTests {
    @Test("counts by kind give every house the same named sensors")
    func counts() throws {
        let scenario = try Fixture.scenario(Fixture.document(estate: "{ houses: 3, owners: 2, sensors: { fire_co: 2, leak: 1 }, appliances: 2 }"))
        let estate = scenario.estate
        #expect(estate.houseCount == 3)
        #expect(estate.sensorCount == 9)
        #expect(estate.houseGroups[0].sensors.map(\.name) == ["fire_co 1", "fire_co 2", "leak 1"])
        #expect(estate.houseGroups[0].appliances == ["appliance 1", "appliance 2"])
        #expect(estate.sensorCountByKind == [.fireCO: 6, .leak: 3])
    }

    @Test("owners take houses in turn unless a group names its owner")
    func owners() throws {
        let scenario = try Fixture.scenario(Fixture.document(estate: """
            { owners: 3, sensors: [leak], houses: [ { count: 4 }, { count: 2, owner: 3 }, { count: 1 } ] }
            """))
        let estate = scenario.estate
        #expect((1...7).map { estate.owner(ofHouse: $0) } == [1, 2, 3, 1, 3, 3, 1])
        #expect(estate.owner(ofHouse: 8) == nil)
        #expect(estate.owner(ofHouse: 0) == nil)
        #expect(try Fixture.scenario(Fixture.minimal).estate.ownerCount == 10)
    }

    @Test("explicit sensors keep their names, and unnamed ones get free names")
    func explicitSensors() throws {
        let scenario = try Fixture.scenario(Fixture.document(estate: """
            { houses: [ { name: Home, sensors: [ { kind: fire_co, name: fire_co 1 }, fire_co, { kind: leak, name: Sink, appliance: Dishwasher } ], appliances: [Dishwasher] } ] }
            """))
        let group = scenario.estate.houseGroups[0]
        #expect(group.name == "Home")
        #expect(group.sensors.map(\.name) == ["fire_co 1", "fire_co 2", "Sink"])
        #expect(group.sensors[2].appliance == "Dishwasher")
    }

    @Test("mistakes in the estate", arguments: [
        ("{ hosues: 3, houses: 3, sensors: [leak] }", "unknown key 'hosues' in estate (did you mean 'houses'?)"),
        ("{ houses: 1e12, sensors: { leak: 1 } }", "estate.houses must be a whole number from 1 to 1,000,000; got '1e12'"),
        ("{ houses: -3, sensors: { leak: 1 } }", "from 1 to 1,000,000; got '-3'"),
        ("{ houses: 1000000, sensors: { leak: 11 } }", "the estate has 11,000,000 sensors (houses × sensors per house); at most 10,000,000"),
        ("{ houses: [ { count: 600000 }, { count: 600000 } ], sensors: [leak] }", "with group 2 the estate passes 1,000,000 houses, the most allowed"),
        ("{ houses: 3 }", "estate needs 'sensors'"),
        ("{ houses: [ { count: 1000, sensors: { leak: 9000 } }, { count: 1000, sensors: { leak: 9000 } } ] }", "with group 2 the estate passes 10,000,000 sensors"),
        ("{ houses: 3, sensors: { leak: 0 } }", "the estate has no sensors"),
        ("{ houses: 3, sensors: { smoke: 1 } }", "unknown sensor kind 'smoke'; known kinds: fire_co, leak"),
        ("{ houses: 3, sensors: { leak: 20000 } }", "from 0 to 10,000"),
        ("{ houses: 3, owners: 4, sensors: [leak] }", "estate.owners must be a whole number from 1 to 3"),
        ("{ houses: [ { owner: 9 } ], owners: 1, sensors: [leak] }", "owner 9 does not exist"),
        ("{ houses: 2, sensors: [ { kind: leak, name: A }, { kind: fire_co, name: A } ] }", "'A' is already used"),
        ("{ houses: 2, sensors: [ { kind: leak, appliance: Boiler } ] }", "on appliance 'Boiler', which the house does not have"),
        ("{ houses: 2, sensors: [ { name: x } ] }", "needs 'kind'"),
        ("{ houses: 2, sensors: [leak], appliances: [A, A] }", "listed twice"),
        ("{ houses: 2, sensors: [leak], mqtt_connections: 0 }", "from 1 to 10,000"),
        ("{ houses: 2, sensors: [leak], mqtt_connections: lots }", "must be per_house, a pool size"),
        ("{ houses: 2, sensors: [leak], mqtt_connections: { mode: pooled, max: 3 } }", "with mode pooled, set count instead"),
        ("{ houses: 2, sensors: [leak], mqtt_connections: { mode: perhouse } }", "did you mean 'per_house'?"),
        ("{ houses: [], sensors: [leak] }", "empty list"),
        ("{ houses: [ { name: \"  \" } ], sensors: [leak] }", "must not be blank"),
    ])
    func mistakes(estate: String, fragment: String) {
        let messages = Fixture.messages(Fixture.document(estate: estate))
        #expect(messages.anyContains(fragment), "\(messages)")
    }

    @Test("mistakes in several estate keys are all reported")
    func severalMistakes() {
        let messages = Fixture.messages(Fixture.document(estate: "{ houses: -1, owners: 0, sensors: { smoke: 1 }, mqtt_connections: 0 }"))
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.anyContains("estate.houses"))
        #expect(messages.anyContains("estate.owners"))
        #expect(messages.anyContains("unknown sensor kind 'smoke'"))
        #expect(messages.anyContains("estate.mqtt_connections"))
    }

    @Test("MQTT connections: one per house up to a cap, or a pool")
    func connections() throws {
        let capped = try Fixture.scenario(Fixture.document(estate: "{ houses: 100, sensors: [leak] }"))
        #expect(capped.estate.mqttConnections == .perHouse(maximum: 4))
        #expect(capped.estate.mqttConnectionCount == 4)
        let few = try Fixture.scenario(Fixture.document(estate: "{ houses: 3, sensors: [leak], mqtt_connections: { mode: per_house, max: 256 } }"))
        #expect(few.estate.mqttConnectionCount == 3)
        let pool = try Fixture.scenario(Fixture.document(estate: "{ houses: 100, sensors: [leak], mqtt_connections: 8 }"))
        #expect(pool.estate.mqttConnections == .pooled(8))
    }

    @Test("a plugin's kind is accepted when the vocabulary knows it")
    func pluginKinds() throws {
        let airQuality = SensorKind("air_quality")
        let vocabulary = EventVocabulary.builtIn.merging(EventVocabulary([airQuality: ["smog_start"]]))
        let yaml = Fixture.document(estate: "{ houses: 2, sensors: { air_quality: 1 } }", extra: "events: [ { at: 1s, event: smog_start, houses: all } ]")
        #expect(Fixture.messages(yaml).anyContains("unknown sensor kind 'air_quality'"))
        let scenario = try Fixture.scenario(yaml, vocabulary: vocabulary)
        #expect(scenario.estate.sensorCountByKind == [airQuality: 2])
        #expect(scenario.events.first?.name == "smog_start")
    }
}
