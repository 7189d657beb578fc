@testable import API
import Fernet
import Foundation
import Redis
import SensorCatalog
import SensorKit
import Testing

/// Writes latest readings into Redis the way the subscriber does: a real
/// plugin's payload, encrypted with the house owner's key file, under
/// `house:{h}:sensor:{s}:latest`.
struct ReadingWriter {
    let api: TestAPI

    /// Creates the owner's key file (mode 0600) if missing.
    func ensureKey(owner: Int) throws {
        if (try? KeyFile.read(at: Keyring.path(forOwner: owner, in: api.keysDirectory))) == nil {
            try Keyring.generateKeyFile(forOwner: owner, in: api.keysDirectory)
        }
    }

    /// A valid payload of `kind` for the sensor, taken at `time`.
    func payload(house: Int, sensor: Int, kind: String, name: String = "sensor", at time: Timestamp) throws -> [UInt8] {
        let plugin = try #require(SensorCatalog.builtIn.plugin(for: SensorKind(kind)))
        let group = plugin.makeGroup()
        let index = group.addSensor(seed: 7, stream: UInt64(sensor), at: time)
        let identity = SensorIdentity(houseID: house, sensorID: sensor, name: name)
        var now = time
        for _ in 0 ..< 10_000 {
            if let reading = group.nextReading(index, at: now, identity: identity) {
                var stamped = reading
                stamped.timestamp = time
                return try group.descriptor.encode(stamped)
            }
            now = now.adding(seconds: 1)
        }
        throw ReadingWriterError("the \(kind) plugin reported nothing for 10000 s")
    }

    /// Encrypts `payload` with the owner's current key and stores it.
    func store(_ payload: [UInt8], house: Int, sensor: Int, owner: Int, ttlMilliseconds: Int = 3_600_000) async throws {
        try ensureKey(owner: owner)
        let token = try Keyring.load(directory: api.keysDirectory).multiFernet(forOwner: owner).encrypt(payload)
        try await storeToken(token, house: house, sensor: sensor, ttlMilliseconds: ttlMilliseconds)
    }

    func storeToken(_ token: [UInt8], house: Int, sensor: Int, ttlMilliseconds: Int = 3_600_000) async throws {
        _ = try await api.redis.command("SET", .text(LatestReadings.key(house: house, sensor: sensor)), .bytes(token), "PX", .integer(ttlMilliseconds))
    }

    /// A reading of the sensor taken `age` seconds ago, stored.
    func write(house: Int, sensor: Int, kind: String, owner: Int, age: Double = 0) async throws {
        let time = Timestamp.now.adding(seconds: -age)
        try await store(try payload(house: house, sensor: sensor, kind: kind, at: time), house: house, sensor: sensor, owner: owner)
    }
}

struct ReadingWriterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Timestamp {
    static var now: Timestamp { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }
}
