import Testing
import Scenario
import SensorKit
@testable import Publisher

@Suite("Estate layout: ids, owners, topics, connections")
struct EstateLayoutTests {
    @Test("sensor ids run house by house, in the order each house lists its sensors")
    func sensorIDsHouseByHouse() throws {
        let scenario = try PublisherFixtures.scenario(estate: """
            { owners: 2, houses: [ { count: 2, sensors: [fire_co, leak] }, { count: 1, owner: 2, sensors: [door_window, thermostat, motion] } ] }
            """)
        let layout = EstateLayout(estate: scenario.estate)
        #expect(layout.houseCount == 3)
        #expect(layout.sensorCount == 7)
        var seen: [EstateLayout.Sensor] = []
        layout.forEachSensor { seen.append($0) }
        #expect(seen.map(\.id) == Array(1...7))
        #expect(seen.map(\.houseID) == [1, 1, 2, 2, 3, 3, 3])
        #expect(seen.map(\.kind) == [.fireCO, .leak, .fireCO, .leak, .doorWindow, .thermostat, .motion])
        #expect(seen.map(\.ownerID) == [1, 1, 2, 2, 2, 2, 2])
        for sensor in seen { #expect(layout.sensor(id: sensor.id) == sensor) }
        #expect(layout.sensor(id: 0) == nil)
        #expect(layout.sensor(id: 8) == nil)
        #expect(layout.sensorIDs(inHouse: 2) == 3...4)
        #expect(layout.sensorIDs(inHouse: 3) == 5...7)
        #expect(layout.sensorIDs(inHouse: 4) == nil)
    }

    @Test("owners take houses in turn, as the scenario model says")
    func ownersInTurn() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 7, owners: 3, sensors: { leak: 1 } }")
        let layout = EstateLayout(estate: scenario.estate)
        #expect((1...7).map(layout.owner(ofHouse:)) == (1...7).map { scenario.estate.owner(ofHouse: $0)! })
        #expect(layout.houses.map(\.ownerID) == [1, 2, 3, 1, 2, 3, 1])
    }

    @Test("one connection per house up to the cap, then houses share in turn")
    func connections() throws {
        let few = EstateLayout(estate: try PublisherFixtures.scenario(estate: "{ houses: 3, sensors: [leak] }").estate)
        #expect(few.connectionCount == 3)
        #expect((1...3).map(few.connection(ofHouse:)) == [0, 1, 2])

        let capped = EstateLayout(estate: try PublisherFixtures.scenario(estate: "{ houses: 10, sensors: [leak], mqtt_connections: { mode: per_house, max: 4 } }").estate)
        #expect(capped.connectionCount == 4)
        #expect((1...10).map(capped.connection(ofHouse:)) == [0, 1, 2, 3, 0, 1, 2, 3, 0, 1])

        let pooledLarger = EstateLayout(estate: try PublisherFixtures.scenario(estate: "{ houses: 2, sensors: [leak], mqtt_connections: 8 }").estate)
        #expect(pooledLarger.connectionCount == 2, "a connection without houses would carry nothing")
    }

    @Test("topics follow the contract")
    func topics() {
        #expect(EstateLayout.topic(house: 3, sensor: 41) == "houses/3/sensors/41")
        #expect(ReadingTopic.string(house: 1_000_000, sensor: 9_999_999) == "houses/1000000/sensors/9999999")
        #expect(ReadingTopic.bytes(house: 12, sensor: 0) == Array("houses/12/sensors/0".utf8))
        #expect(ReadingTopic.string(house: Int.max, sensor: Int.max) == "houses/\(Int.max)/sensors/\(Int.max)")
    }

    @Test("a large estate is computed, not stored")
    func largeEstate() throws {
        let scenario = try PublisherFixtures.scenario(estate: "{ houses: 1000000, owners: 1000, sensors: { fire_co: 1, leak: 2, door_window: 3, thermostat: 1, motion: 1 } }")
        let layout = EstateLayout(estate: scenario.estate)
        #expect(layout.sensorCount == 8_000_000)
        let last = try #require(layout.sensor(id: 8_000_000))
        #expect(last.houseID == 1_000_000)
        #expect(last.kind == .motion)
        #expect(last.ownerID == 1000)
        #expect(last.connection == (1_000_000 - 1) % MQTTConnections.defaultMaximum)
    }
}
