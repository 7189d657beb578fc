import Fernet
import Foundation
import Postgres
import RedisNIO
import SensorCatalog
import SensorKit

/// A sensor of a house as `/data` needs it.
struct SensorRecord: Sendable {
    var id: Int
    var name: String
    var kind: String
    var applianceID: Int?

    /// The sensors in `rows`, whose columns from `column` on are id, name,
    /// kind and appliance id; rows with a null id (a house with no sensor,
    /// from a LEFT JOIN) are skipped.
    static func list(_ rows: some Collection<PostgresRow>, from column: Int) throws -> [SensorRecord] {
        var sensors: [SensorRecord] = []
        sensors.reserveCapacity(rows.count)
        for row in rows where try !row.isNull(column: column) {
            sensors.append(SensorRecord(
                id: try row.decode(Int.self, column: column),
                name: try row.decode(String.self, column: column + 1),
                kind: try row.decode(String.self, column: column + 2),
                applianceID: try row.decode(Int?.self, column: column + 3)
            ))
        }
        return sensors
    }
}

/// Reads the latest value of a house's sensors from Redis and opens them.
///
/// One `MGET` fetches every sensor's `house:{h}:sensor:{s}:latest` token;
/// each is decrypted with the house owner's key, parsed and validated by the
/// sensor catalogue, and judged fresh or stale from the payload's own
/// timestamp. Nothing is logged about a reading: plaintext stays in memory
/// only as long as it takes to build the response.
struct LatestReadings: Sendable {
    let redis: RedisLoopConnections
    let ciphers: OwnerCiphers
    let catalog: SensorCatalog
    let staleness: Staleness

    /// The Redis key of a sensor's latest token (DESIGN.md). The braces are a
    /// Redis Cluster hash tag, so a house's keys share one slot and one MGET.
    static func key(house: Int, sensor: Int) -> String {
        "house:{\(house)}:sensor:\(sensor):latest"
    }

    func read(house: Int, owner: Int?, sensors: [SensorRecord], now: Date = Date()) async throws -> HouseData {
        let tokens = try await redis.connection().values(of: sensors.map { Self.key(house: house, sensor: $0.id) })
        let nowNanoseconds = Timestamp(secondsSinceEpoch: now.timeIntervalSince1970).nanosecondsSinceEpoch
        var entries: [SensorData] = []
        entries.reserveCapacity(sensors.count)
        for (sensor, token) in zip(sensors, tokens) {
            entries.append(entry(for: sensor, house: house, owner: owner, token: token, now: nowNanoseconds))
        }
        return HouseData(houseID: house, readAt: now, sensors: entries)
    }

    private func entry(for sensor: SensorRecord, house: Int, owner: Int?, token: [UInt8]?, now: Int64) -> SensorData {
        var data = SensorData(
            sensorID: sensor.id, name: sensor.name, kind: sensor.kind, applianceID: sensor.applianceID,
            status: .missing, staleAfterSeconds: staleness.threshold(for: SensorKind(sensor.kind))
        )
        guard let token else { return data }
        data.status = .unreadable
        guard let owner else {
            data.reason = "the house has no key owner"
            return data
        }
        let reading: Reading
        do {
            reading = try open(token, owner: owner)
        } catch is CipherUnavailable {
            data.reason = "no key for the house owner"
            return data
        } catch is FernetError {
            data.reason = "the token does not open with the owner's keys"
            return data
        } catch {
            data.reason = "the payload is not a valid reading"
            return data
        }
        guard reading.houseID == house, reading.sensorID == sensor.id else {
            data.reason = "the payload belongs to another sensor"
            return data
        }
        let age = Double(now - reading.timestamp.nanosecondsSinceEpoch) / 1e9
        data.status = age > data.staleAfterSeconds ? .stale : .fresh
        data.timestamp = reading.timestamp.rfc3339
        data.ageSeconds = (age * 1000).rounded() / 1000
        data.seq = reading.seq
        var values: [String: ReadingValue] = [:]
        var units: [String: String] = [:]
        for field in reading.fields {
            switch field.value {
            case .number(let number): values[field.name] = .number(number)
            case .text(let text): values[field.name] = .text(text)
            }
            if let unit = field.unit { units[field.name] = unit }
        }
        data.values = values
        data.units = units
        data.alarms = reading.alarms
        return data
    }

    /// Decrypts and parses one token. A token that does not open may be
    /// from a key rotated in after the owner's file was read; the file is
    /// then read again (at most every few seconds) and the token retried.
    private func open(_ token: [UInt8], owner: Int) throws -> Reading {
        var plaintext: [UInt8]
        do {
            plaintext = try ciphers.withCipher(owner: owner) { try $0.decrypt(token) }
        } catch is FernetError where ciphers.refreshIfStale(owner: owner) {
            plaintext = try ciphers.withCipher(owner: owner) { try $0.decrypt(token) }
        }
        defer { plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return try catalog.decode(payload: plaintext)
    }
}
