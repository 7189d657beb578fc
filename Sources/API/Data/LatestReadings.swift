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
        var entries = zip(sensors, tokens).map { sensor, token in
            SensorData(sensorID: sensor.id, name: sensor.name, kind: sensor.kind, applianceID: sensor.applianceID,
                       status: token == nil ? .missing : .unreadable, staleAfterSeconds: staleness.threshold(for: SensorKind(sensor.kind)))
        }
        if let owner, tokens.contains(where: { $0 != nil }) {
            openAll(tokens, into: &entries, house: house, owner: owner, now: nowNanoseconds)
        } else {
            for index in entries.indices where tokens[index] != nil { entries[index].reason = "the house has no key owner" }
        }
        return HouseData(houseID: house, readAt: now, sensors: entries)
    }

    /// Opens every token with one cipher of the owner (one check-out per
    /// request, not per sensor). Tokens that do not open are tried once more
    /// if the owner's key file has changed since it was read: a key rotated
    /// in while the API runs.
    private func openAll(_ tokens: [[UInt8]?], into entries: inout [SensorData], house: Int, owner: Int, now: Int64) {
        var unopened: [Int] = []
        do {
            try ciphers.withCipher(owner: owner) { cipher in
                for (index, token) in tokens.enumerated() {
                    guard let token else { continue }
                    if !open(token, with: cipher, into: &entries[index], house: house, now: now) { unopened.append(index) }
                }
            }
            guard !unopened.isEmpty, ciphers.refreshIfChanged(owner: owner) else { return }
            try ciphers.withCipher(owner: owner) { cipher in
                for index in unopened {
                    _ = open(tokens[index]!, with: cipher, into: &entries[index], house: house, now: now)
                }
            }
        } catch {
            // CipherUnavailable: no usable key file for the owner.
            for index in entries.indices where entries[index].status == .unreadable { entries[index].reason = "no key for the house owner" }
        }
    }

    /// Fills `data` from one token; false if the token did not open (worth a
    /// retry after the key file is read again).
    private func open(_ token: [UInt8], with cipher: MultiFernet, into data: inout SensorData, house: Int, now: Int64) -> Bool {
        let reading: Reading
        do {
            var plaintext = try cipher.decrypt(token)
            defer { plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            reading = try catalog.decode(payload: plaintext)
        } catch is FernetError {
            data.reason = "the token does not open with the owner's keys"
            return false
        } catch {
            data.reason = "the payload is not a valid reading"
            return true
        }
        guard reading.houseID == house, reading.sensorID == data.sensorID else {
            data.reason = "the payload belongs to another sensor"
            return true
        }
        let age = Double(now - reading.timestamp.nanosecondsSinceEpoch) / 1e9
        data.status = age > data.staleAfterSeconds ? .stale : .fresh
        data.reason = nil
        data.timestamp = reading.timestamp.rfc3339
        data.ageSeconds = (age * 1000).rounded() / 1000
        data.seq = reading.seq
        data.fields = reading.fields
        data.alarms = reading.alarms
        return true
    }
}
