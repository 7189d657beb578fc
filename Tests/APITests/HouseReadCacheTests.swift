@testable import API
import Foundation
import SensorKit
import Testing

/// ``HouseReadCache`` on its own: pure logic, no servers.
@Suite("House read cache")
struct HouseReadCacheTests {
    static let entry = HouseReadCache.Entry(owner: 1, sensors: [SensorRecord(id: 7, name: "Hall", kind: "motion", applianceID: nil)])
    let start = ContinuousClock.now

    @Test("an answer is served for its lifetime, per user and house, and not after")
    func lifetime() {
        let cache = HouseReadCache(lifetime: .seconds(1))
        cache.store(Self.entry, user: 2, house: 1, generation: cache.generation, now: start)
        #expect(cache.entry(user: 2, house: 1, now: start + .milliseconds(999))?.sensors.map(\.id) == [7])
        #expect(cache.entry(user: 3, house: 1, now: start) == nil)
        #expect(cache.entry(user: 2, house: 5, now: start) == nil)
        #expect(cache.entry(user: 2, house: 1, now: start + .seconds(1)) == nil)
    }

    @Test("a clear forgets everything, and a read that began before it cannot store its older answer")
    func invalidation() {
        let cache = HouseReadCache(lifetime: .seconds(60))
        cache.store(Self.entry, user: 2, house: 1, generation: cache.generation, now: start)
        let before = cache.generation
        cache.invalidateAll()
        #expect(cache.entry(user: 2, house: 1, now: start) == nil)
        cache.store(Self.entry, user: 2, house: 1, generation: before, now: start)
        #expect(cache.entry(user: 2, house: 1, now: start) == nil)
        cache.store(Self.entry, user: 2, house: 1, generation: cache.generation, now: start)
        #expect(cache.entry(user: 2, house: 1, now: start) != nil)
    }

    @Test("a lifetime of zero turns it off; a full cache starts over rather than growing")
    func offAndBounded() {
        let off = HouseReadCache(lifetime: .zero)
        off.store(Self.entry, user: 2, house: 1, generation: off.generation, now: start)
        #expect(off.entry(user: 2, house: 1, now: start) == nil)

        let small = HouseReadCache(lifetime: .seconds(60), capacity: 3)
        for house in 1...3 { small.store(Self.entry, user: 2, house: house, generation: small.generation, now: start) }
        #expect((1...3).allSatisfy { small.entry(user: 2, house: $0, now: start) != nil })
        small.store(Self.entry, user: 2, house: 4, generation: small.generation, now: start)
        #expect(small.entry(user: 2, house: 1, now: start) == nil)
        #expect(small.entry(user: 2, house: 4, now: start) != nil)
    }
}

/// The `/data` body, written without Foundation (``JSONWritable``).
@Suite("House data JSON")
struct HouseDataJSONTests {
    @Test("every field in snake_case, absent optionals left out, text escaped, non-finite numbers null, and it parses")
    func shape() throws {
        var full = SensorData(sensorID: 3, name: "Kid's \"room\"\n", kind: "thermostat", applianceID: 9, status: .fresh, staleAfterSeconds: 90)
        full.timestamp = "2026-11-29T23:00:00.250Z"
        full.ageSeconds = 1.25
        full.seq = 42
        full.values = ["temperature": .number(21.5), "mode": .text("heat"), "broken": .number(.nan)]
        full.units = ["temperature": "°C"]
        full.alarms = ["overheat"]
        let bare = SensorData(sensorID: 4, name: "Door", kind: "door_window", applianceID: nil, status: .missing, staleAfterSeconds: 1800)
        let data = HouseData(houseID: 1, readAt: Date(timeIntervalSince1970: 1_795_993_200.5), sensors: [full, bare])

        let text = String(decoding: data.jsonBytes, as: UTF8.self)
        #expect(text.hasPrefix(#"{"house_id":1,"read_at":"2026-11-29T23:00:00.500Z","sensors":[{"sensor_id":3,"#))
        #expect(text.contains(#""values":{"broken":null,"mode":"heat","temperature":21.5}"#))
        #expect(text.contains(#"{"sensor_id":4,"name":"Door","kind":"door_window","status":"missing","stale_after_seconds":1800}"#))

        let object = try #require(try JSONSerialization.jsonObject(with: Data(data.jsonBytes)) as? [String: Any])
        let sensors = try #require(object["sensors"] as? [[String: Any]])
        #expect(sensors[0]["name"] as? String == "Kid's \"room\"\n")
        #expect(sensors[0]["appliance_id"] as? Int == 9)
        #expect(sensors[0]["age_seconds"] as? Double == 1.25)
        #expect(sensors[0]["seq"] as? Int == 42)
        #expect((sensors[0]["units"] as? [String: String])?["temperature"] == "°C")
        #expect(sensors[0]["alarms"] as? [String] == ["overheat"])
        #expect(Set(sensors[1].keys) == ["sensor_id", "name", "kind", "status", "stale_after_seconds"])
    }
}
