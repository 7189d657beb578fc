@testable import API
import Foundation
import SensorKit
import Testing

/// ``HouseReadCache`` on its own: pure logic, no servers.
@Suite("House read cache")
struct HouseReadCacheTests {
    static let entry = HouseReadCache.Entry(owner: 1, sensors: [SensorRecord(id: 7, name: "Hall", kind: "motion", applianceID: nil)])
    let start = ContinuousClock.now

    /// Counts the loads (the PostgreSQL queries the cache saves).
    final class Loads: @unchecked Sendable {
        var count = 0
        var onLoad: () -> Void = {}
    }

    /// Asks the cache; true when it had to load.
    func loaded(_ cache: HouseReadCache, _ loads: Loads, user: Int = 2, house: Int = 1, at now: ContinuousClock.Instant) async -> Bool {
        let before = loads.count
        let entry = await cache.entry(user: user, house: house, now: now) {
            loads.count += 1
            loads.onLoad()
            return Self.entry
        }
        #expect(entry.sensors.map(\.id) == [7])
        return loads.count > before
    }

    @Test("an answer is served for its lifetime, per user and house, and not after")
    func lifetime() async {
        let cache = HouseReadCache(lifetime: .seconds(1))
        let loads = Loads()
        #expect(await loaded(cache, loads, at: start))
        #expect(await !loaded(cache, loads, at: start + .milliseconds(999)))
        #expect(await loaded(cache, loads, user: 3, at: start))
        #expect(await loaded(cache, loads, house: 5, at: start))
        #expect(await loaded(cache, loads, at: start + .seconds(1)))
    }

    @Test("a clear forgets everything, and a read that began before it cannot keep its older answer")
    func invalidation() async {
        let cache = HouseReadCache(lifetime: .seconds(60))
        let loads = Loads()
        #expect(await loaded(cache, loads, at: start))
        cache.invalidateAll()
        // A write lands while this read is asking PostgreSQL.
        loads.onLoad = { cache.invalidateAll() }
        #expect(await loaded(cache, loads, at: start))
        loads.onLoad = {}
        #expect(await loaded(cache, loads, at: start))
        #expect(await !loaded(cache, loads, at: start))
    }

    @Test("a lifetime of zero turns it off; a full cache starts over rather than growing")
    func offAndBounded() async {
        let off = HouseReadCache(lifetime: .zero)
        let loads = Loads()
        #expect(await loaded(off, loads, at: start))
        #expect(await loaded(off, loads, at: start))

        let small = HouseReadCache(lifetime: .seconds(60), capacity: 3)
        for house in 1...3 { #expect(await loaded(small, loads, house: house, at: start)) }
        for house in 1...3 { #expect(await !loaded(small, loads, house: house, at: start)) }
        #expect(await loaded(small, loads, house: 4, at: start))
        #expect(await !loaded(small, loads, house: 4, at: start))
        #expect(await loaded(small, loads, house: 1, at: start))
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
        full.fields = [ReadingField(name: "temperature", value: .number(21.5), unit: "°C"),
                       ReadingField(name: "mode", value: .text("heat")), ReadingField(name: "broken", value: .number(.nan))]
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
