@testable import API
import Fernet
import Foundation
import Hummingbird
import SensorCatalog
import SensorKit
import Testing

extension APITests {
    /// `/houses/{id}/data`: the latest reading of every sensor, from Redis, decrypted.
    @Suite("House data")
    struct HouseDataTests {
        /// House 1 of the example estate: sensor ids and kinds.
        static let houseOne: [(id: Int, kind: String)] = [(1, "fire_co"), (2, "leak"), (3, "door_window"), (4, "thermostat"), (5, "motion")]

        @Test("fresh readings are decrypted with the owner's key and shown with values, units and alarms")
        func freshReadings() async throws {
            try await TestAPI.run { api throws in
                let writer = ReadingWriter(api: api)
                for sensor in Self.houseOne { try await writer.write(house: 1, sensor: sensor.id, kind: sensor.kind, owner: 1, age: 1) }
                let reply = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice))
                #expect(reply.status == .ok)
                #expect(reply.headers[.cacheControl] == "no-store")
                #expect(reply.json["house_id"].int == 1)
                let sensors = reply.json["sensors"].array
                #expect(sensors.compactMap { $0["sensor_id"].int } == [1, 2, 3, 4, 5])
                #expect(sensors.allSatisfy { $0["status"].string == "fresh" })
                let fire = sensors[0]
                #expect(fire["kind"].string == "fire_co")
                #expect(fire["name"].string == "Kitchen smoke and CO")
                #expect(fire["appliance_id"].int == 1)
                #expect(fire["values"]["temperature"].double != nil)
                #expect(fire["units"]["temperature"].string != nil)
                #expect(fire["alarms"] != .missing)
                #expect(fire["seq"].int == 0)
                let age = try #require(fire["age_seconds"].double)
                #expect(age >= 0.9 && age < 30)
                #expect(sensors[2]["values"]["status"].string != nil)
            }
        }

        @Test("a reading older than three reporting intervals is stale; a configured threshold overrides that")
        func staleReadings() async throws {
            try await TestAPI.run(configure: { $0.staleAfter = .seconds(60) }) { api throws in
                let writer = ReadingWriter(api: api)
                try await writer.write(house: 5, sensor: 6, kind: "fire_co", owner: 1, age: 5)
                try await writer.write(house: 5, sensor: 7, kind: "leak", owner: 1, age: 600)
                let sensors = try await api.send(.get, "/houses/5/data", as: .user(TestAPI.Seeded.alice)).json["sensors"].array
                #expect(sensors.compactMap { $0["status"].string } == ["fresh", "stale", "missing"])
                #expect(sensors.allSatisfy { $0["stale_after_seconds"].double == 60 })
            }
            try await TestAPI.run { api throws in
                let interval = try #require(SensorCatalog.builtInThreshold(kind: "thermostat"))
                let writer = ReadingWriter(api: api)
                try await writer.write(house: 1, sensor: 4, kind: "thermostat", owner: 1, age: interval + 5)
                let thermostat = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice)).json["sensors"][3]
                #expect(thermostat["status"].string == "stale")
                #expect(thermostat["stale_after_seconds"].double == interval)
            }
        }

        @Test("a sensor whose key expired or was never written is missing")
        func missingReadings() async throws {
            try await TestAPI.run { api throws in
                let writer = ReadingWriter(api: api)
                let payload = try writer.payload(house: 1, sensor: 2, kind: "leak", at: .now)
                try await writer.store(payload, house: 1, sensor: 2, owner: 1, ttlMilliseconds: 50)
                try await Task.sleep(for: .milliseconds(200))
                let sensors = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice)).json["sensors"].array
                #expect(sensors.allSatisfy { $0["status"].string == "missing" })
                #expect(sensors[1]["values"] == .missing)
            }
        }

        @Test("a token under another key, a payload of another sensor, or an owner without a key file is unreadable, not an error")
        func unreadableReadings() async throws {
            try await TestAPI.run { api throws in
                let writer = ReadingWriter(api: api)
                try writer.ensureKey(owner: 1)
                let stranger = try MultiFernet(keys: [try FernetKey.generate()])
                try await writer.storeToken(try stranger.encrypt(try writer.payload(house: 1, sensor: 1, kind: "fire_co", at: .now)), house: 1, sensor: 1)
                try await writer.store(try writer.payload(house: 1, sensor: 3, kind: "leak", at: .now), house: 1, sensor: 2, owner: 1)
                try await writer.storeToken(Array("not a token".utf8), house: 1, sensor: 3)
                try await writer.store(Array(#"{"sensor_id":4}"#.utf8), house: 1, sensor: 4, owner: 1)
                let sensors = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice)).json["sensors"].array
                #expect(sensors.prefix(4).allSatisfy { $0["status"].string == "unreadable" })
                #expect(sensors[0]["reason"].string == "the token does not open with the owner's keys")
                #expect(sensors[1]["reason"].string == "the payload belongs to another sensor")
                #expect(sensors[3]["reason"].string == "the payload is not a valid reading")
                #expect(sensors[4]["status"].string == "missing")

                // Carol (owner of house 2) has no key file at all.
                try await writer.storeToken(Array("gAAAA".utf8), house: 2, sensor: 9)
                let carols = try await api.send(.get, "/houses/2/data", as: .user(TestAPI.Seeded.carol)).json["sensors"].array
                #expect(carols[0]["status"].string == "unreadable")
                #expect(carols[0]["reason"].string == "no key for the house owner")
            }
        }

        @Test("a key rotated, or a key file created, while the API runs opens the next token at once; the older key still opens older ones")
        func keyChangesWhileRunning() async throws {
            try await TestAPI.run { api throws in
                let writer = ReadingWriter(api: api)
                try await writer.write(house: 1, sensor: 1, kind: "fire_co", owner: 1)
                let before = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice)).json["sensors"].array
                #expect(before[0]["status"].string == "fresh")
                // Rotated between two requests: no wait for a timer.
                try Keyring.rotateKeyFile(forOwner: 1, in: api.keysDirectory)
                try await writer.write(house: 1, sensor: 2, kind: "leak", owner: 1)
                let after = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.alice)).json["sensors"].array
                #expect(after[0]["status"].string == "fresh" && after[1]["status"].string == "fresh")

                // Carol's house has no key file; once it exists, the next request opens her tokens.
                try await writer.storeToken(Array("gAAAA".utf8), house: 2, sensor: 9)
                let keyless = try await api.send(.get, "/houses/2/data", as: .user(TestAPI.Seeded.carol)).json["sensors"].array
                #expect(keyless[0]["reason"].string == "no key for the house owner")
                let carol = try #require(try await api.scalar(Int.self, "SELECT owner_id FROM houses WHERE id = 2"))
                try await writer.write(house: 2, sensor: 9, kind: "leak", owner: carol)
                let keyed = try await api.send(.get, "/houses/2/data", as: .user(TestAPI.Seeded.carol)).json["sensors"].array
                #expect(keyed[0]["status"].string == "fresh")
            }
        }

        @Test("six sensors come back from one call, each decrypted")
        func sixSensors() async throws {
            try await TestAPI.run { api throws in
                try await api.execute("INSERT INTO sensors (id, house_id, kind, name) VALUES (11, 1, 'garage', 'Garage door')")
                let writer = ReadingWriter(api: api)
                for sensor in Self.houseOne + [(11, "garage")] { try await writer.write(house: 1, sensor: sensor.id, kind: sensor.kind, owner: 1) }
                let sensors = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).json["sensors"].array
                #expect(sensors.count == 6)
                #expect(sensors.allSatisfy { $0["status"].string == "fresh" })
            }
        }

        @Test("members read the data; strangers and unknown houses get 404")
        func permissions() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .ok)
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.dana)).status == .ok)
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.send(.get, "/houses/5/data", as: .user(TestAPI.Seeded.carol)).status == .notFound)
                #expect(try await api.send(.get, "/houses/999/data", as: .user(TestAPI.Seeded.dana)).status == .notFound)
                #expect(try await api.send(.get, "/houses/x/data", as: .user(TestAPI.Seeded.dana)).status == .notFound)
            }
        }

        // `/data` remembers who may read a house for a moment (HouseReadCache);
        // these hold it to "a change through the API counts on the next request".

        @Test("a link removed through the API counts on the next /data request, despite the cache")
        func removedLinkCountsAtOnce() async throws {
            try await TestAPI.run { api throws in
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .ok)
                #expect(try await api.send(.delete, "/houses/1/users/\(TestAPI.Seeded.bob)", as: .user(TestAPI.Seeded.alice)).status == .noContent)
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .notFound)
            }
        }

        @Test("a sensor added or deleted through the API shows on the next /data request")
        func sensorChangesCountAtOnce() async throws {
            try await TestAPI.run { api throws in
                let before = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).json["sensors"].array
                let created = try await api.send(.post, "/sensors", as: .user(TestAPI.Seeded.alice),
                                                 json: #"{"house_id": 1, "kind": "garage", "name": "Garage door"}"#)
                #expect(created.status == .created)
                let id = try #require(created.json["id"].int)
                let after = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).json["sensors"].array
                #expect(after.count == before.count + 1)
                #expect(after.contains { $0["sensor_id"].int == id })
                #expect(try await api.send(.delete, "/sensors/\(id)", as: .user(TestAPI.Seeded.alice)).status == .noContent)
                let gone = try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).json["sensors"].array
                #expect(gone.count == before.count)
            }
        }

        @Test("a change made outside the API (psql, another process) counts once the cache lifetime has passed, or at once with the cache off")
        func outsideChangesCountWithinTheLifetime() async throws {
            try await TestAPI.run(configure: { $0.accessCacheLifetime = .milliseconds(300) }) { api throws in
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .ok)
                try await api.execute("DELETE FROM house_users WHERE house_id = 1 AND user_id = 2")
                try await Task.sleep(for: .milliseconds(400))
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .notFound)
            }
            try await TestAPI.run(configure: { $0.accessCacheLifetime = .zero }) { api throws in
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .ok)
                try await api.execute("DELETE FROM house_users WHERE house_id = 1 AND user_id = 2")
                #expect(try await api.send(.get, "/houses/1/data", as: .user(TestAPI.Seeded.bob)).status == .notFound)
            }
        }
    }
}

extension SensorCatalog {
    /// Three reporting intervals (or heartbeats) of a built-in kind.
    static func builtInThreshold(kind: String) -> Double? {
        switch builtIn.descriptor(for: SensorKind(kind))?.reporting {
        case .periodic(let interval)?: 3 * interval
        case .onChange(_, let heartbeat)?: 3 * heartbeat
        case nil: nil
        }
    }
}
