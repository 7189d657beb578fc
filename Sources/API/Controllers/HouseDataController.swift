import Hummingbird
import Postgres

/// `GET /houses/{id}/data`: the latest reading of every sensor in the
/// house, decrypted with the house owner's key, for anyone linked to it.
///
/// This is the API's hot path. It costs one Redis round trip (an MGET of
/// every sensor's latest token), and one PostgreSQL round trip (the
/// caller's role, their link to the house, the key owner and the sensors,
/// in one statement) only when ``HouseReadCache`` has no fresh answer.
struct HouseDataController {
    let services: APIServices

    func register(on group: RouterGroup<APIRequestContext>) {
        group.get("houses/{id}/data", use: data)
    }

    @Sendable func data(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.principal()
        let house = try context.id(of: "house")
        let known = try await services.houseReadCache.entry(user: principal.userID, house: house) {
            let (owner, sensors) = try await services.withDatabase { db in
                try await Self.houseAndSensors(house, for: principal, db)
            }
            return HouseReadCache.Entry(owner: owner, sensors: sensors)
        }
        let data = try await services.latestReadings.read(house: house, owner: known.owner, sensors: known.sensors)
        return JSONResponse.write(data, headers: [.cacheControl: "no-store"])
    }

    /// The key owner and sensors of a house the caller may read; 404 for a
    /// house that does not exist or that the caller is not linked to.
    static func houseAndSensors(_ house: Int, for principal: Principal, _ db: PostgresConnection) async throws -> (owner: Int?, sensors: [SensorRecord]) {
        let rows = try await db.query("""
            SELECT u.role, hu.role, h.owner_id, s.id, s.name, s.kind, s.appliance_id
            FROM users u
            JOIN houses h ON h.id = \(house)
            LEFT JOIN house_users hu ON hu.house_id = h.id AND hu.user_id = u.id
                AND hu.start_date <= current_date AND (hu.end_date IS NULL OR hu.end_date >= current_date)
            LEFT JOIN sensors s ON s.house_id = h.id
            WHERE u.id = \(principal.userID)
            ORDER BY s.id
            """)
        guard let first = rows.first else {
            // No row: the caller's account or the house is gone; tell which.
            _ = try await AccessControl(connection: db).caller(principal)
            throw APIError.notFound("house")
        }
        _ = try HouseAccess(
            houseExists: true,
            userRole: UserRole(rawValue: try first.decode(String.self, column: 0)) ?? .user,
            houseRole: try first.decode(String?.self, column: 1).flatMap(HouseRole.init(rawValue:))
        )
        return (try first.decode(Int?.self, column: 2), try SensorRecord.list(rows, from: 3))
    }
}
