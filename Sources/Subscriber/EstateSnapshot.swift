import Postgres
import Schema
import SensorKit

/// Which houses and sensors exist, as PostgreSQL said at one estate version.
///
/// The pipeline checks every message against this instead of asking the
/// database; ``EstateRefresher`` replaces the snapshot when the estate
/// version moves. A value type: a batch keeps the snapshot it started with.
struct EstateSnapshot: Sendable {
    struct Sensor: Sendable, Equatable {
        var houseID: Int
        var kind: SensorKind
    }

    /// Schema.estateVersion at load time; -1 for the empty snapshot.
    var version: Int64 = -1
    /// House id → owner user id (nil: the house has no owner, so no key).
    var owners: [Int: Int?] = [:]
    var sensors: [Int: Sensor] = [:]

    static let empty = EstateSnapshot()

    /// Reads houses and sensors in one REPEATABLE READ transaction, so the
    /// version and both tables agree with each other.
    static func load(from connection: PostgresConnection) async throws -> EstateSnapshot {
        try await connection.withTransaction { tx in
            try await tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            var snapshot = EstateSnapshot()
            snapshot.version = try await Schema.estateVersion(tx)
            let houses = try await tx.query("SELECT id, owner_id FROM houses")
            snapshot.owners.reserveCapacity(houses.count)
            for row in houses {
                snapshot.owners[try row.decode(Int.self, column: 0)] = .some(try row.decode(Int?.self, column: 1))
            }
            let sensors = try await tx.query("SELECT id, house_id, kind FROM sensors")
            snapshot.sensors.reserveCapacity(sensors.count)
            for row in sensors {
                snapshot.sensors[try row.decode(Int.self, column: 0)] = Sensor(
                    houseID: try row.decode(Int.self, column: 1), kind: SensorKind(try row.decode(String.self, column: 2))
                )
            }
            return snapshot
        }
    }
}
